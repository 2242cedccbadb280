"""{% shared part "name" %}…{% endshared %}: a shared part of a page, rendered once per version of what it
shows (civic.pagecache). `part` is the `civic.pagecache.Part` the view made. On a hit the enclosed template
is not rendered and the part's context function is not called, so everything the part reads is left undone.

`{% shared part "name" anonymous_only %}` caches only for visitors who are not signed in (the part has
personal bits for the others, who get it rendered, with the same context)."""

from django import template

register = template.Library()


class SharedNode(template.Node):
    def __init__(self, part, name: str, anonymous_only: bool, nodelist):
        self.part = part
        self.name = name
        self.anonymous_only = anonymous_only
        self.nodelist = nodelist

    def render(self, context):
        part = self.part.resolve(context)

        def build() -> str:
            with context.push(**part.context()):
                return self.nodelist.render(context)

        user = context.get("user")
        if self.anonymous_only and user is not None and user.is_authenticated:
            return build()
        return part.render(self.name, build)


@register.tag
def shared(parser, token):
    bits = token.split_contents()
    if len(bits) not in (3, 4) or bits[2][0] not in ('"', "'") or (len(bits) == 4 and bits[3] != "anonymous_only"):
        raise template.TemplateSyntaxError('usage: {% shared part "name" [anonymous_only] %}')
    nodelist = parser.parse(("endshared",))
    parser.delete_first_token()
    return SharedNode(parser.compile_filter(bits[1]), bits[2][1:-1], len(bits) == 4, nodelist)
