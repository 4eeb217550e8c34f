using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Clientele.Errors;
using Clientele.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Clientele.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer KEY</c> against the stored key hashes. Every failure (missing,
/// malformed, unknown, revoked) answers the same 401, so a caller learns nothing about which it was.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IAccountStore accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
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
