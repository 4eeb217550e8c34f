using System.Net;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

public static class SearchExtensions
{
    /// <summary><c>POST /customers/search</c>; fails unless it answers 200.</summary>
    public static async Task<SearchAnswer> SearchAsync(this HttpClient client, string json)
    {
        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", json);
        Assert.True(status == HttpStatusCode.OK, $"search {json} answered {(int)status}: {body}");
        return SearchAnswer.Parse(body);
    }

    /// <summary>The ids a one-clause search finds, in the default order (id ascending).</summary>
    public static async Task<IReadOnlyList<long>> FindAsync(this HttpClient client, string field, string op, object? value)
    {
        var clause = new Dictionary<string, object?> { ["field"] = field, ["operator"] = op, ["value"] = value };
        var answer = await client.SearchAsync(JsonSerializer.Serialize(new { filter = new[] { clause } }, SearchFields.Json));
        Assert.Equal(answer.Ids.Count, answer.Total);
        return answer.Ids;
    }

    /// <summary>The first error of a 400 answer: its code and message.</summary>
    public static (string Code, string Message) FirstError(string body)
    {
        _ = HttpExtensions.ErrorCodes(body);
        using var document = JsonDocument.Parse(body);
        var first = document.RootElement.GetProperty("errors")[0];
        return (first.GetProperty("code").GetString()!, first.GetProperty("message").GetString()!);
    }
}
