namespace Clientele.Errors;

/// <summary>One entry of the HelpCrunch error envelope.</summary>
public sealed record ApiError(string Code, string Message);

/// <summary>The body of every non-2xx answer: <c>{"errors":[{"code","message"}]}</c>.</summary>
public sealed record ErrorEnvelope(IReadOnlyList<ApiError> Errors)
{
    public static ErrorEnvelope Of(string code, string message) => new([new ApiError(code, message)]);
}

/// <summary>The codes and texts of spec §2, in one place so every layer answers alike.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "invalid_json";
    public const string InvalidToken = "invalid_token";
    public const string EntityNotFound = "entity_not_found";
    public const string RouteNotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UriTooLong = "uri_too_long";
    public const string HeadersTooLarge = "headers_too_large";
    public const string TooManyRequests = "too_many_requests";
    public const string InternalError = "internal_error";
    public const string Unavailable = "service_unavailable";
    public const string QueryTimeout = "query_timeout";
    public const string DuplicateUserId = "invalid_userId_value";

    public static readonly ErrorEnvelope CustomerNotFound = ErrorEnvelope.Of(EntityNotFound, "Customer not found");
    public static readonly ErrorEnvelope UserIdTaken = ErrorEnvelope.Of(DuplicateUserId, "A customer with this userId already exists.");
    public static readonly ErrorEnvelope InvalidTokenError = ErrorEnvelope.Of(InvalidToken, "Invalid token");
    public static readonly ErrorEnvelope StorageUnavailable = ErrorEnvelope.Of(Unavailable, "Storage is unavailable; nothing was written.");
}
