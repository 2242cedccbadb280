from django.shortcuts import get_object_or_404, render

from .models import Area, AreaLevel, Organisation
from .selectors import area_ancestors, area_children_with_counts, area_counts_by_level


def home(request):
    roots = list(area_children_with_counts(None))
    districts = list(area_children_with_counts(roots[0])) if len(roots) == 1 else []
    return render(
        request,
        "home.html",
        {
            "roots": roots,
            "districts": districts,
            "counts": area_counts_by_level(),
            "organisation_count": Organisation.objects.filter(confirmed_at__isnull=False).count(),
        },
    )


def area_list(request):
    return render(request, "civic/area_list.html", {"roots": area_children_with_counts(None)})


def area_detail(request, code):
    area = get_object_or_404(Area, code=code)
    counts = area_counts_by_level(area)
    return render(
        request,
        "civic/area_detail.html",
        {
            "area": area,
            "ancestors": area_ancestors(area),
            "children": area_children_with_counts(area),
            "counts": [(AreaLevel(level).label, n) for level, n in counts.items() if n],
            "organisations": area.organisations.filter(confirmed_at__isnull=False).order_by("name"),
        },
    )
