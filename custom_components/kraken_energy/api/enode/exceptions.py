"""Typed errors of the Enode client. Messages never carry the client secret or a token.

HTTP errors carry the `Problem` body Enode answers with (RFC 7807 style: `type`, `title`,
`detail`); the message is `<operation>: <title>: <detail>`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Action


class EnodeError(Exception):
    """Base of every error the Enode client raises."""


class EnodeConnectionError(EnodeError):
    """The API could not be reached, or answered with a server error."""


class EnodeTimeoutError(EnodeConnectionError):
    """The API did not answer in time."""


class EnodeParseError(EnodeError):
    """The API answered with a body the client could not understand."""


class EnodeApiError(EnodeError):
    """The API refused a request; `title`/`detail` come from its Problem body when it sent one."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        problem_type: str | None = None,
        title: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.problem_type = problem_type
        self.title = title
        self.detail = detail


class EnodeServerError(EnodeApiError, EnodeConnectionError):
    """HTTP 5xx: a temporary failure on Enode's side."""


class EnodeTokenEndpointError(EnodeApiError, EnodeConnectionError):
    """The token endpoint answered with neither a token nor a refusal of the credentials.

    E.g. an HTML page (a proxy, a wrong token URL), a 4xx without an OAuth error body, or an
    OAuth error other than `invalid_client`/`invalid_grant` (RFC 6749 section 5.2):
    `invalid_request`, `unsupported_grant_type` and `invalid_scope` say the request was wrong,
    and `unauthorized_client` says "the *authenticated* client is not authorized to use this
    grant type", i.e. the credentials were accepted and the client's grant settings at Enode
    are what is wrong. Entering the same credentials again cannot fix any of these, so it is
    connection-class: retried later with backoff, recovering by itself once Enode's side is
    fixed. `title` is the OAuth `error` code and
    `detail` its `error_description`, when the endpoint sent them.
    """

    @property
    def oauth_error(self) -> str | None:
        """The OAuth 2 `error` code (RFC 6749 section 5.2), if the endpoint sent one."""
        return self.title


class EnodeAuthError(EnodeApiError):
    """The user has to re-authenticate.

    Raised when the token endpoint refuses the client credentials (OAuth `invalid_client` or
    `invalid_grant`, RFC 6749 section 5.2, in a JSON 4xx answer), or when the API still
    answers 401 to a freshly issued token.
    """


class EnodeForbiddenError(EnodeApiError):
    """HTTP 403 from the API: this client may not read or control that resource.

    Typically a scope the user did not grant when linking (e.g. `hvac:read:data`);
    `missing_scope` names it when Enode's Problem body does. Not a reason to re-authenticate:
    the same credentials work for everything else.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int = 403,
        problem_type: str | None = None,
        title: str | None = None,
        detail: str | None = None,
        missing_scope: str | None = None,
    ) -> None:
        super().__init__(
            message, status=status, problem_type=problem_type, title=title, detail=detail
        )
        self.missing_scope = missing_scope


class EnodeRateLimitError(EnodeApiError):
    """HTTP 429; `retry_after` is in seconds when the API sent Retry-After."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        problem_type: str | None = None,
        title: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, status=429, problem_type=problem_type, title=title, detail=detail)
        self.retry_after = retry_after


class EnodePreconditionError(EnodeApiError):
    """HTTP 400: a precondition failed that will not change soon.

    E.g. the device cannot do this, is already in the desired state, is fully charged, or the
    setpoints are invalid.
    """


class EnodeNotFoundError(EnodeApiError):
    """HTTP 404: the asset, action or intervention does not exist."""


class EnodeConflictError(EnodeApiError):
    """HTTP 409: e.g. cancelling an action that has already resolved."""


class EnodeControlledError(EnodeApiError):
    """HTTP 422: the device is controlled by an Enode schedule or smart charging."""


class EnodeConnectionsLimitError(EnodeForbiddenError):
    """HTTP 403 on Link User: the Enode client has reached its connections limit."""


class EnodeActionError(EnodeError):
    """An action did not reach CONFIRMED; `action` is its last known state."""

    def __init__(self, message: str, action: Action) -> None:
        super().__init__(message)
        self.action = action

    @property
    def reason_type(self) -> str | None:
        """Enode's failure reason type (e.g. NO_RESPONSE), when it gave one."""
        reason = self.action.failure_reason
        return reason.type if reason is not None else None

    @property
    def reason_detail(self) -> str | None:
        """Enode's human-readable failure detail, when it gave one."""
        reason = self.action.failure_reason
        return reason.detail if reason is not None else None


class EnodeActionFailedError(EnodeActionError):
    """The action ended FAILED: the device did not respond before Enode gave up."""


class EnodeActionCancelledError(EnodeActionError):
    """The action ended CANCELLED: a precondition was not met or a newer action replaced it."""


class EnodeActionTimeoutError(EnodeActionError):
    """The action was still PENDING when the client stopped waiting."""
