"""Open311 GeoReport v2 (docs/open311.md): hotline (12345) systems and 311 apps file and read reports of
small matters without custom work.

`formats` writes the specification's JSON and XML (and its errors); `selectors` reads the jurisdiction, the
services and the requests; `filing` checks the API key, places the request in a grid cell and files it
through `casework.services.external.report_intake`; `views` and `urls` are the endpoints under /open311/v2/.
"""
