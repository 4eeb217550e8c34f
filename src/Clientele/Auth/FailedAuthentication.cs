namespace Clientele.Auth;

/// <summary>What counting one failed authentication of an address decided.</summary>
/// <param name="Refused">The address is over its limit: answer 429.</param>
/// <param name="FirstInWindow">The address's first failure of this window: worth a log line.</param>
public readonly record struct FailedAuthentication(bool Refused, TimeSpan RetryAfter, bool FirstInWindow);
