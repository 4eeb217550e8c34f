using System.Net;
using System.Text;
using System.Text.Json;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>
/// Spec §6: an error answer lists at most 100 entries, the 100th saying how many more failed. Before, a 1 MiB
/// <c>{"tags":[1,1,…]}</c> got a 38 MB 400 (one entry per item), and 16 of them in parallel took 1.74 GB.
/// </summary>
[Collection(nameof(ErrorLimitTests))]
[CollectionDefinition(nameof(ErrorLimitTests), DisableParallelization = true)]
public sealed class ErrorLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary><c>{"tags":[1,1,…]}</c>: every item fails on its own (<c>tags[i]</c>, not an object).</summary>
    private static string BadTags(int count) => $$"""{"tags":[{{string.Join(',', Enumerable.Repeat('1', count))}}]}""";

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    [InlineData(100)]
    public async Task Create_WithAtMostAHundredFailures_ListsEveryOne(int count)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", BadTags(count));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"tags[{i}]"), HttpExtensions.ErrorCodes(body));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(500_000)]
    public async Task Create_WithMoreThanAHundredFailures_ListsNinetyNineAndHowManyMore(int count)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers", BadTags(count));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Entries(body);
        Assert.Equal(100, errors.Count);
        Assert.Equal(Enumerable.Range(0, 99).Select(i => ($"tags[{i}]", "This value should be of type object.")), errors.Take(99));
        Assert.Equal(("too_many_errors", $"{count - 99} more errors were left out."), errors[99]);
        Assert.True(body.Length < 8 * 1024, $"the answer has {body.Length} characters");
        Assert.Equal(0, (await client.SearchAsync("{}")).Total);
    }

    /// <summary>
    /// Validating a 1 MiB body of half a million wrong values allocates a few times the body (the parsed document),
    /// not a string and an entry per failure (the old code: about 240 MB for this body, and a 38 MB answer).
    /// Measured across the process, which is why this class runs alone.
    /// </summary>
    [Fact]
    public async Task Create_WithHalfAMillionFailures_AllocatesAFewTimesTheBody()
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var json = BadTags(500_000);
        // Warmed up first, so the measured request pays for no first-use costs (JIT, pools, the account's key).
        Assert.Equal(HttpStatusCode.BadRequest, (await client.CallAsync(HttpMethod.Post, "customers", json)).Status);

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var (status, _) = await client.CallAsync(HttpMethod.Post, "customers", json);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(allocated < 40L * 1024 * 1024, $"one request allocated {allocated / 1024 / 1024} MB");
    }

    public static TheoryData<string, string, string, string> Routes => new()
    {
        // A batch of ten items, each with a thousand bad tags: the codes carry the item index.
        { "PUT", "customers/batch", "[" + string.Join(',', Enumerable.Range(1, 10).Select(i => $$"""{"customer":{{i}},{{BadTags(1000)[1..^1]}}}""")) + "]", "[0].tags[0]" },
        { "PUT", "customers/{id}/tags", BadTags(1000), "tags[0]" },
        { "DELETE", "customers/{id}/tags", BadTags(1000), "tags[0]" },
        { "PATCH", "customers/{id}", $$"""{"customData":[{{string.Join(',', Enumerable.Repeat("""{"property":1}""", 1000))}}]}""", "customData[0].property" },
        // Twenty clauses of a hundred blank tag names each.
        { "POST", "customers/search", $$"""{"filter":[{{string.Join(',', Enumerable.Repeat($$"""{"field":"customers.tagsData","operator":"=","value":[{{string.Join(',', Enumerable.Repeat("{}", 100))}}]}""", 20))}}]}""", "filter[0].value[0].name" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task AnyRoute_WithMoreThanAHundredFailures_ListsAHundredEntries(string method, string path, string json, string firstCode)
    {
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        var id = await client.CreateCustomerAsync();

        var (status, body) = await client.CallAsync(new HttpMethod(method), path.Replace("{id}", id.ToString()), json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = Entries(body);
        Assert.Equal(100, errors.Count);
        Assert.Equal(firstCode, errors[0].Code);
        Assert.Equal("too_many_errors", errors[99].Code);
        Assert.Matches("^[0-9]+ more errors were left out\\.$", errors[99].Message);
    }

    [Fact]
    public async Task Import_LineWithMoreThanAHundredFailures_IsReportedWithAHundredEntries()
    {
        await using var database = await TestDatabase.CreateAsync();
        var folder = Directory.CreateTempSubdirectory("clientele-import-").FullName;
        try
        {
            var file = Path.Combine(folder, "in.ndjson");
            await File.WriteAllTextAsync(file, BadTags(1000), Ct);
            Assert.Equal(0, (await ClienteleCli.RunAsync(database, "accounts", "create", "acme")).ExitCode);

            var result = await ClienteleCli.RunAsync(database, "import", file, "--account", "acme");

            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("line 1: ", StringComparison.Ordinal));
            var entries = line["line 1: ".Length..].TrimEnd('\r').Split("; ");
            Assert.Equal(100, entries.Length);
            Assert.Equal("tags[0]: This value should be of type object.", entries[0]);
            Assert.Equal("too_many_errors: 901 more errors were left out.", entries[99]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<(string Code, string Message)> Entries(string body)
    {
        HttpExtensions.ErrorCodes(body);
        using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(body));
        return [.. document.RootElement.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("code").GetString()!, e.GetProperty("message").GetString()!))];
    }
}
