using System.Text.Json;

namespace Clientele.Client.Tests.Infrastructure;

public static class Same
{
    /// <summary>A value as JSON, to compare records whose members are lists and dictionaries.</summary>
    public static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
