def validated(serializer_class, request) -> dict:
    """Parse a request body with a serializer; a bad body is a 400 with the fields named."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
