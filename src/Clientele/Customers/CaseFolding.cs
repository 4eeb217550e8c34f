namespace Clientele.Customers;

/// <summary>
/// The one definition of "case-insensitive" for search: Unicode lower-casing by the invariant culture,
/// done here rather than by the database so every storage provider compares alike.
/// </summary>
public static class CaseFolding
{
    public static string? Fold(string? text) => text?.ToLowerInvariant();
}
