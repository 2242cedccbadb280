"""Check an API answer against what /api/schema/ declares about it: no null where the schema says a
field cannot be null, and every required field present. A hand-rolled subset of OpenAPI 3.0 (enough for
what drf-spectacular emits: $ref, allOf, oneOf/anyOf, nullable, objects, arrays)."""


def response_schema(schema: dict, path: str, method: str = "get", status: str = "200") -> dict:
    return schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _may_be_null(schema: dict, node: dict) -> bool:
    node = _resolve(schema, node)
    if node.get("nullable") or None in node.get("enum", ()):
        return True
    return any(_may_be_null(schema, branch) for key in ("oneOf", "anyOf", "allOf") for branch in node.get(key, ()))


def violations(schema: dict, node: dict, data, path: str = "$") -> list[str]:
    """Where `data` breaks what `node` (a schema object of `schema`) says about nulls and required fields."""
    node = _resolve(schema, node)
    if data is None:
        return [] if _may_be_null(schema, node) else [f"{path} is null but not declared nullable"]
    for key in ("oneOf", "anyOf"):
        if node.get(key):
            found = [violations(schema, branch, data, path) for branch in node[key]]
            return [] if any(not v for v in found) else found[0]
    found: list[str] = []
    for branch in node.get("allOf", ()):
        found += violations(schema, branch, data, path)
    if isinstance(data, dict):
        for name in node.get("required", ()):
            if name not in data:
                found.append(f"{path}.{name} is required but missing")
        for name, child in node.get("properties", {}).items():
            if name in data:
                found += violations(schema, child, data[name], f"{path}.{name}")
    elif isinstance(data, list) and "items" in node:
        for index, item in enumerate(data):
            found += violations(schema, node["items"], item, f"{path}[{index}]")
    return found


def assert_answer_matches_schema(client, url: str, path: str) -> dict:
    """GET `url` (an instance of the schema's `path`) and check the answer against the schema."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    response = client.get(url)
    assert response.status_code == 200, response.content
    data = response.json()
    assert violations(schema, response_schema(schema, path), data) == []
    return data
