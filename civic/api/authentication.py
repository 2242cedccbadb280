"""`Authorization: Token <key>`: DRF's token authentication, read in one plain prepared statement.

The same contract as `rest_framework.authentication.TokenAuthentication` (the header, its errors and their
messages, `request.auth` the token): only the look-up differs. The token and its person are read from the
database on every request, so a token deleted (signing out everywhere, `DELETE /api/auth/token/`) or a
person deactivated is refused by the very next request; nothing is kept between requests."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from civic import rows
from civic.selectors.verification import verification_join, verification_remember


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        user_model = get_user_model()
        quote = connection.ops.quote_name
        # the person's verification comes with them (what a ballot, the API's main write, asks next)
        verification, joins, params = verification_join("u")
        with rows.prepared_cursor() as cursor:  # parsed and planned once per connection
            cursor.execute(
                f"SELECT {rows.columns(Token, 't')}, {rows.columns(user_model, 'u')}, {verification} "
                f"FROM {quote(Token._meta.db_table)} t JOIN {quote(user_model._meta.db_table)} u "
                f"ON u.{quote(user_model._meta.pk.column)} = t.{quote(Token._meta.get_field('user').column)}"
                f"{joins} WHERE t.{quote(Token._meta.pk.column)} = %s",
                [*params, key],
            )
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        n, m = rows.width(Token), rows.width(Token) + rows.width(user_model)
        token, user = rows.build(Token, row[:n]), rows.build(user_model, row[n:m])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        verification_remember(user, row[m:])
        token.user = user
        return (user, token)
