"""{% shared part "name" %}…{% endshared %}: a shared part of a page, rendered once per version of what it
shows (civic.pagecache). `part` is the `civic.pagecache.Part` the view made. On a hit the enclosed template
is not rendered and the part's context function is not called, so everything the part reads is left undone.

`{% shared part "name" anonymous_only %}` caches only for visitors who are not signed in (the part has
personal bits for the others, who get it rendered, with the same context).

`{% shared part "name" marked %}` is kept twice: for visitors, and once for every signed-in reader, with the
bits that differ between readers marked by `{% reader %}` (and CSRF tokens as holes), decided for each reader
when served.

`{% reader %}` and `{% personal %}` mark what differs between signed-in readers, so that the whole page can
be one rendering they all share (civic.pagecache.whole_page)."""

from django import template

from civic import pagecache

register = template.Library()
MODES = ("anonymous_only", "marked")


class SharedNode(template.Node):
    def __init__(self, part, name: str, mode: str | None, nodelist):
        self.part = part
        self.name = name
        self.mode = mode
        self.nodelist = nodelist

    def render(self, context):
        part = self.part.resolve(context)

        def build() -> str:
            with context.push(**part.context()):
                return self.nodelist.render(context)

        user = context.get("user")
        signed_in = user is not None and user.is_authenticated
        if self.mode == "anonymous_only" and signed_in:
            return build()
        if self.mode != "marked" or not signed_in:
            return part.render(self.name, build)
        # One rendering for every signed-in reader, its personal bits marked and its CSRF tokens holes.
        request = context["request"]
        outer = pagecache.holes(request)

        def build_marked() -> str:
            request._pagecache_holes = True
            try:
                with context.push(user=pagecache.any_reader()):
                    return pagecache.csrf_hole(build())
            finally:
                request._pagecache_holes = outer

        sub = f"{self.name}:signed-in"
        html = part.render(sub, build_marked)
        if outer:  # the whole page is being made for every signed-in reader: decided per request
            return html
        facts = context.get("reader") or {"me": str(user.pk)}
        return pagecache.fill_for(html, facts, str(context["csrf_token"]), (part._page, sub))


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) not in (3, 4) or bits[2][0] not in ('"', "'") or (len(bits) == 4 and bits[3] not in MODES):
        raise template.TemplateSyntaxError('usage: {% shared part "name" [anonymous_only|marked] %}')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(parser.compile_filter(bits[1]), bits[2][1:-1], bits[3] if len(bits) == 4 else None, nodelist)


class ReaderNode(template.Node):
    """{% reader ["not"] "fact" [value] %}…{% endreader %}: a segment shown only to the readers whose fact
    holds (civic.pagecache.reader_holds). Rendered for one person, it is decided here from `reader` in the
    context (the view's facts; without them, {"me": the reader's pk}); in the rendering signed-in readers
    share, it is kept with its condition and decided per request."""

    def __init__(self, name: str, value, negate: bool, nodelist):
        self.name = name
        self.value = value
        self.negate = negate
        self.nodelist = nodelist

    def render(self, context):
        value = "" if self.value is None else str(self.value.resolve(context))
        request = context.get("request")
        if request is not None and pagecache.holes(request):
            return (
                pagecache.mark_open(self.name, value, self.negate)
                + self.nodelist.render(context)
                + (pagecache.mark_close())
            )
        facts = context.get("reader")
        if facts is None:
            user = context.get("user")
            facts = {"me": str(user.pk) if user is not None and user.is_authenticated else None}
        return self.nodelist.render(context) if pagecache.reader_holds(facts, self.name, value, self.negate) else ""


@register.tag
def reader(parser, token):
    bits = token.split_contents()[1:]
    negate = bool(bits) and bits[0] == "not"
    bits = bits[1:] if negate else bits
    if len(bits) not in (1, 2) or bits[0][0] not in ('"', "'"):
        raise template.TemplateSyntaxError('usage: {% reader ["not"] "fact" [value] %}')
    nodelist = parser.parse(("endreader",))
    parser.delete_first_token()
    value = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    return ReaderNode(bits[0][1:-1], value, negate, nodelist)


class PersonalNode(template.Node):
    """{% personal "name" %}…{% endpersonal %}: a bit that differs for each person (the header's menu). In
    the rendering signed-in readers share it is a hole, filled per request from the reader's own kept value
    (civic.pagecache.whole_page); otherwise it is rendered here."""

    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is not None and pagecache.holes(request):
            return pagecache.mark_hole(self.name)
        return self.nodelist.render(context)


@register.tag
def personal(parser, token):
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in ('"', "'"):
        raise template.TemplateSyntaxError('usage: {% personal "name" %}')
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(bits[1][1:-1], nodelist)
