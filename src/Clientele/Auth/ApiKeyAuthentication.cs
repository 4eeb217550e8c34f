using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Clientele.Errors;
using Clientele.Logging;
using Clientele.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Clientele.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer KEY</c> against the stored key hashes. Every failure (missing,
/// malformed, unknown, revoked) answers the same 401, so a caller learns nothing about which it was. Failures are
/// counted per client address (<see cref="FailedAuthenticationLimiter"/>); past the limit the answer is 429.
/// Everything here is decided from the headers: a refused request's body is never read.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    IAccountStore accounts,
    FailedAuthenticationLimiter failures)
    // The base class logs two Information lines for every refused request under this class's name, so a flood of
    // bad keys filled the log; what a refusal is worth logging, the limiter logs, sampled.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string AccountClaim = "clientele:account";
    public const string RateLimitClaim = "clientele:rate_limit";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiKeys.TryReadBearer(Request.Headers.Authorization, out var key))
        {
            return AuthenticateResult.NoResult();
        }
        if (failures.IsBlocked(Context.Connection.RemoteIpAddress))
        {
            // No lookup: an address past its limit learns nothing more, not even that a key is right.
            return AuthenticateResult.Fail("Too many failed authentications from this address");
        }
        if (await accounts.FindKeyOwnerAsync(ApiKeys.Hash(key), Context.RequestAborted) is not { } owner)
        {
            return AuthenticateResult.Fail("Unknown or revoked key");
        }
        List<Claim> claims = [new(AccountClaim, owner.AccountId.ToString(CultureInfo.InvariantCulture))];
        if (owner.RateLimit is { } limit)
        {
            claims.Add(new Claim(RateLimitClaim, limit.ToString(CultureInfo.InvariantCulture)));
        }
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.ContentLength > 0 || Request.Headers.TransferEncoding.Count > 0)
        {
            // The body is never read nor buffered: Kestrel only discards what still arrives (for at most 5 s, so the
            // client gets to read this answer), and the connection then closes instead of waiting for more requests.
            Response.Headers.Connection = "close";
        }
        var failure = failures.CountFailure(Context.Connection.RemoteIpAddress);
        if (!failure.FirstInWindow)
        {
            RequestLogging.LeaveOut(Context);
        }
        if (failure.Refused)
        {
            Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(failure.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return ErrorResponses.WriteAsync(Context, StatusCodes.Status429TooManyRequests,
                ErrorEnvelope.Of(ErrorCodes.TooManyRequests, "You have exceeded your requests limit"));
        }
        Response.Headers.WWWAuthenticate = "Bearer";
        return ErrorResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, ErrorCodes.InvalidTokenError);
    }
}

public static class ApiKeyAuthenticationExtensions
{
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddSingleton<FailedAuthenticationLimiter>();
        return services;
    }

    /// <summary>The account of an authenticated request; every customer, tag and event is scoped to it.</summary>
    public static long AccountId(this ClaimsPrincipal user) =>
        long.Parse(user.FindFirstValue(ApiKeyAuthenticationHandler.AccountClaim)!, CultureInfo.InvariantCulture);

    /// <summary>The account's own requests per minute, when it has one.</summary>
    public static int? RateLimitOrNull(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.RateLimitClaim) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : null;

    public static long? AccountIdOrNull(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyAuthenticationHandler.AccountClaim) is { } value ? long.Parse(value, CultureInfo.InvariantCulture) : null;
}
