"""The API's fields for value kinds that have one rule in the core (money): every serializer uses these."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from civic.errors import InvalidInput
from civic.money import DECIMAL_PLACES, SUM_DIGITS, parse_amount


@extend_schema_field({"type": "string", "example": "1200.50", "nullable": True})
class AmountField(serializers.Field):
    """An amount in yuan sent by a client: a JSON string ("12000.50", "12,000.50") or number, checked by
    civic.money.parse_amount (the same rule as the pages); answered as a string with two decimals."""

    default_error_messages = {"invalid": "Enter an amount in yuan."}

    def __init__(self, *, positive: bool = False, allow_negative: bool = False, **kwargs):
        self.positive = positive
        self.allow_negative = allow_negative
        kwargs.setdefault("help_text", 'Yuan, at most two decimals, as a string, e.g. "1200.50".')
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        try:
            amount = parse_amount(
                data,
                field=self.field_name or "amount",
                required=self.required and not self.allow_null,
                positive=self.positive,
                allow_negative=self.allow_negative,
            )
        except InvalidInput as error:
            raise serializers.ValidationError(str(error.message), code=error.code) from None
        return amount

    def to_representation(self, value):
        return None if value is None else f"{value:.2f}"


def money_out(**kwargs) -> serializers.DecimalField:
    """An amount or a sum of amounts in an answer: a string with two decimals."""
    return serializers.DecimalField(max_digits=SUM_DIGITS, decimal_places=DECIMAL_PLACES, read_only=True, **kwargs)
