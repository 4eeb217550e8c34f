namespace Clientele.Search;

/// <summary>The account already runs as many searches as it may, and none ended in time; the error seam answers 429.</summary>
public sealed class SearchesBusyException() : Exception("This account runs too many searches at once; retry shortly.");
