namespace Clientele.Search;

/// <summary>A search or list ran past its deadline and was stopped; the error seam answers 503 <c>query_timeout</c>.</summary>
public sealed class QueryTimeoutException() : Exception("The search took too long; narrow it.");
