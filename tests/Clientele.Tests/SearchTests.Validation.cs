using System.Net;
using Clientele.Tests.Infrastructure;

namespace Clientele.Tests;

/// <summary>Spec §5 refusals: every bad clause and paging member answers 400 naming its path. Nothing is written, so one server serves them all.</summary>
public sealed partial class SearchTests
{
    [Theory]
    [InlineData("""{"field":"customers.nope","operator":"=","value":"x"}""", "filter[0].field")]
    [InlineData("""{"field":"name","operator":"=","value":"x"}""", "filter[0].field")]
    [InlineData("""{"field":"customers.notes","operator":"=","value":"x"}""", "filter[0].field")]
    [InlineData("""{"field":"customers.email","operator":">","value":"x"}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.name","operator":"<=","value":"x"}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.id","operator":"~","value":1}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.firstSeen","operator":"!~","value":1}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.blocked","operator":">","value":true}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.tagsData","operator":"!=","value":[{"name":"a"}]}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.name","operator":"==","value":"x"}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.name","value":"x"}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.customData.plan","operator":">","value":"x"}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.customData.plan","operator":"~","value":5}""", "filter[0].operator")]
    [InlineData("""{"field":"customers.blocked","operator":"=","value":"true"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.blocked","operator":"=","value":1}""", "filter[0].value")]
    [InlineData("""{"field":"customers.firstSeen","operator":"=","value":{"seconds":1}}""", "filter[0].value")]
    [InlineData("""{"field":"customers.lastSeen","operator":">","value":"yesterday"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.id","operator":"=","value":"abc"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.id","operator":"=","value":[1]}""", "filter[0].value")]
    [InlineData("""{"field":"customers.name","operator":"=","value":{"a":1}}""", "filter[0].value")]
    [InlineData("""{"field":"customers.name","operator":"~","value":["x"]}""", "filter[0].value")]
    [InlineData("""{"field":"customers.name","operator":"=","value":true}""", "filter[0].value")]
    [InlineData("""{"field":"customers.tagsData","operator":"=","value":"vip"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.customData.plan","operator":"=","value":{"a":1}}""", "filter[0].value")]
    [InlineData("""{"field":"customers.customData.plan","operator":"=","value":[1]}""", "filter[0].value")]
    public async Task Search_BadClause_Answers400WithTheClausePath(string clause, string code)
    {
        var client = _server.Client;

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"filter":[{{clause}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, SearchExtensions.FirstError(body).Code);
    }

    [Theory]
    [InlineData("""{"field":"","operator":"=","value":"x"}""")]
    [InlineData("""{"field":"   ","operator":"=","value":"x"}""")]
    [InlineData("""{"field":null,"operator":"=","value":"x"}""")]
    [InlineData("""{"operator":"=","value":"x"}""")]
    public async Task Search_BlankField_Answers400NotBlank(string clause)
    {
        var client = _server.Client;

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", $$"""{"filter":[{{clause}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(("filter[0].field", "This value should not be blank."), SearchExtensions.FirstError(body));
    }

    [Fact]
    public async Task Search_BadSecondClause_NamesItsIndex()
    {
        var client = _server.Client;

        var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", """
            {"filter":[{"field":"customers.name","operator":"=","value":"x"},{"field":"customers.email","operator":"<","value":"x"}]}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["filter[1].operator"], HttpExtensions.ErrorCodes(body));
    }

    [Theory]
    [InlineData("""{"sort":"customers.nope"}""", "sort")]
    [InlineData("""{"sort":"name"}""", "sort")]
    [InlineData("""{"sort":"customers.notes"}""", "sort")]
    [InlineData("""{"sort":"customers.tagsData"}""", "sort")]
    [InlineData("""{"order":"up"}""", "order")]
    [InlineData("""{"offset":-1}""", "offset")]
    [InlineData("""{"offset":"x"}""", "offset")]
    [InlineData("""{"offset":1.5}""", "offset")]
    [InlineData("""{"limit":0}""", "limit")]
    [InlineData("""{"limit":101}""", "limit")]
    [InlineData("""{"limit":"abc"}""", "limit")]
    [InlineData("""{"limit":true}""", "limit")]
    public async Task Search_BadPaging_Answers400WithTheMember(string body, string code)
    {
        var client = _server.Client;

        var (status, answer) = await client.CallAsync(HttpMethod.Post, "customers/search", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([code], HttpExtensions.ErrorCodes(answer));
    }

    private static string Clauses(int count, string clause) => $$"""{"filter":[{{string.Join(',', Enumerable.Repeat(clause, count))}}]}""";

    private static string TagNames(int count) =>
        $$"""{"field":"customers.tagsData","operator":"=","value":[{{string.Join(',', Enumerable.Range(0, count).Select(i => $$"""{"name":"t{{i}}"}"""))}}]}""";

    [Fact]
    public async Task Search_TwentyClauses_IsAccepted_TwentyOneAnswers400()
    {
        const string clause = """{"field":"customers.name","operator":"~","value":"x"}""";

        Assert.Equal(HttpStatusCode.OK, (await _server.Client.CallAsync(HttpMethod.Post, "customers/search", Clauses(20, clause))).Status);
        var (status, body) = await _server.Client.CallAsync(HttpMethod.Post, "customers/search", Clauses(21, clause));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"errors":[{"code":"filter","message":"This collection should contain 20 elements or less."}]}""", body);
    }

    /// <summary>
    /// Finding 2 of issue #11: a thousand names answered 500 "Expression tree is too large", and 50,000 names
    /// held gigabytes of statement text; past a hundred (a customer's most tags) they are refused before any SQL.
    /// </summary>
    [Theory]
    [InlineData(101)]
    [InlineData(1000)]
    [InlineData(50_000)]
    public async Task Search_TagsDataOfMoreThanAHundredNames_Answers400(int count)
    {
        var (status, body) = await _server.Client.CallAsync(HttpMethod.Post, "customers/search", Clauses(1, TagNames(count)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"errors":[{"code":"filter[0].value","message":"This collection should contain 100 elements or less."}]}""", body);
    }

    [Fact]
    public async Task Search_TagsDataOfAHundredNames_IsAccepted()
    {
        var answer = await _server.Client.SearchAsync(Clauses(1, TagNames(100)));

        Assert.Equal(0, answer.Total);
    }

    [Theory]
    [InlineData("""{"field":"customers.name","operator":"~","value":"VALUE"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.source","operator":"=","value":"VALUE"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.customData.note","operator":"!~","value":"VALUE"}""", "filter[0].value")]
    [InlineData("""{"field":"customers.tagsData","operator":"=","value":[{"name":"VALUE"}]}""", "filter[0].value[0].name")]
    public async Task Search_StringValueOverAThousandCharacters_Answers400(string clause, string code)
    {
        var atLimit = clause.Replace("VALUE", new string('é', 1000), StringComparison.Ordinal);
        var overLimit = clause.Replace("VALUE", new string('é', 1001), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await _server.Client.CallAsync(HttpMethod.Post, "customers/search", Clauses(1, atLimit))).Status);
        var (status, body) = await _server.Client.CallAsync(HttpMethod.Post, "customers/search", Clauses(1, overLimit));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($$"""{"errors":[{"code":"{{code}}","message":"This value is too long. It should have 1000 characters or less."}]}""", body);
    }

    /// <summary>A server with one empty account, for requests that must be refused before anything is read or written.</summary>
    public sealed class EmptyServer : IAsyncLifetime
    {
        private ClienteleApp? _app;

        public HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _app = await ClienteleApp.StartAsync();
            Client = await _app.CreateClientAsync();
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
