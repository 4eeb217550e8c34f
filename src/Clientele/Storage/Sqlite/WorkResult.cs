namespace Clientele.Storage.Sqlite;

/// <summary>A write's value, and whether its changes are kept (true) or rolled back (false).</summary>
internal readonly record struct WorkResult<T>(T Value, bool Keep);
