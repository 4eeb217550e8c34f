using System.Diagnostics;
using System.Globalization;
using System.Net;
using Clientele.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Clientele.Tests;

/// <summary>
/// Spec §4 paging over an account of a thousand customers with nulls and equal sort keys: pages of 100 visit
/// every customer exactly once, in the model's order, for every sort field in both orders, through the list
/// route and through search. The account is only read, so one server serves the whole class.
/// </summary>
public sealed class ListPagingTests(ListPagingTests.Account account) : IClassFixture<ListPagingTests.Account>
{
    public static TheoryData<string> SortFields => [.. SearchFields.Sortable];

    [Theory]
    [MemberData(nameof(SortFields))]
    public async Task List_PagesOf100_VisitEveryCustomerOnceInTheModelsOrder(string field)
    {
        foreach (var descending in new[] { false, true })
        {
            var order = descending ? "desc" : "asc";
            var pages = await account.PagesAsync(page => (HttpMethod.Get, $"customers?sort=customers.{field}&order={order}&offset={page * 100}&limit=100", null));
            AssertVisitsInOrder(pages, field, descending, $"GET /customers sort=customers.{field} order={order}");
        }
    }

    [Theory]
    [MemberData(nameof(SortFields))]
    public async Task Search_PagesOf100_VisitEveryCustomerOnceInTheModelsOrder(string field)
    {
        foreach (var descending in new[] { false, true })
        {
            var order = descending ? "DESC" : "Asc";
            var pages = await account.PagesAsync(page =>
                (HttpMethod.Post, "customers/search", $$"""{"sort":"customers.{{field}}","order":"{{order}}","offset":{{page * 100}},"limit":100}"""));
            AssertVisitsInOrder(pages, field, descending, $"POST /customers/search sort=customers.{field} order={order}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_WithoutSort_OrdersByIdAndDescendingReversesIt(bool descending)
    {
        var order = descending ? "&order=desc" : "";
        var pages = await account.PagesAsync(page => (HttpMethod.Get, $"customers?offset={page * 100}{order}", null));

        AssertVisitsInOrder(pages, "id", descending, "GET /customers" + order);
    }

    [Fact]
    public async Task List_SingularSortPrefix_IsAnAliasOfThePlural()
    {
        var alias = await account.Client.CallAsync(HttpMethod.Get, "customers?sort=customer.firstSeen&order=desc&offset=100&limit=50");
        var plural = await account.Client.CallAsync(HttpMethod.Get, "customers?sort=customers.firstSeen&order=desc&offset=100&limit=50");

        Assert.Equal(HttpStatusCode.OK, alias.Status);
        Assert.Equal(SearchAnswer.Parse(plural.Body).Ids, SearchAnswer.Parse(alias.Body).Ids);
        var expected = account.Ordered("firstSeen", descending: true).Skip(100).Take(50);
        Assert.Equal(expected, SearchAnswer.Parse(alias.Body).Ids);
    }

    [Fact]
    public async Task List_DefaultPage_IsTheFirst100AndAPastTheEndPageIsEmpty()
    {
        var first = SearchAnswer.Parse((await account.Client.CallAsync(HttpMethod.Get, "customers")).Body);
        var past = SearchAnswer.Parse((await account.Client.CallAsync(HttpMethod.Get, $"customers?offset={Account.Size}")).Body);

        Assert.Equal(account.Ordered("id", descending: false).Take(100), first.Ids);
        Assert.Equal(Account.Size, first.Total);
        Assert.Empty(past.Ids);
        Assert.Equal(Account.Size, past.Total);
    }

    [Theory]
    [InlineData("offset=-1", "offset")]
    [InlineData("offset=x", "offset")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("sort=customers.nope", "sort")]
    [InlineData("sort=name", "sort")]
    [InlineData("sort=customers.notes", "sort")]
    [InlineData("sort=customers.tagsData", "sort")]
    [InlineData("sort=Customers.name", "sort")]
    [InlineData("order=up", "order")]
    [InlineData("order=descending", "order")]
    public async Task List_BadPagingValue_Answers400WithTheParameter(string query, string code)
    {
        var (status, body) = await account.Client.CallAsync(HttpMethod.Get, "customers?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal([code], HttpExtensions.ErrorCodes(body));
    }

    /// <summary>
    /// On SQLite, reads run beside the writer (WAL): a list or a search must not wait while a write transaction
    /// is open, as the server's own writer keeps one open for every group it commits.
    /// </summary>
    [Fact]
    public async Task List_WhileAWriteTransactionIsOpen_AnswersWithoutWaitingForIt()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite readers and its writer: this run is on PostgreSQL.");
        await using var app = await ClienteleApp.StartAsync();
        var client = await app.CreateClientAsync();
        await client.CreateCustomerAsync("""{"name":"a"}""");
        await using var writer = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        await using var begin = writer.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        var reads = Task.WhenAll(
            client.CallAsync(HttpMethod.Get, "customers"),
            client.CallAsync(HttpMethod.Post, "customers/search", """{"filter":[{"field":"customers.name","operator":"=","value":"A"}]}"""));
        await Task.WhenAny(reads, Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken));
        var waited = clock.Elapsed;
        await using var rollback = writer.CreateCommand();
        rollback.CommandText = "ROLLBACK";
        await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);

        Assert.All(await reads, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.True(waited < TimeSpan.FromSeconds(1), $"the reads waited {waited.TotalMilliseconds:F0} ms for the open write transaction");
    }

    private void AssertVisitsInOrder(IReadOnlyList<(HttpStatusCode Status, string Body)> pages, string field, bool descending, string what)
    {
        var ids = new List<long>();
        foreach (var (status, body) in pages)
        {
            Assert.True(status == HttpStatusCode.OK, $"{what} answered {(int)status}: {body}");
            var page = SearchAnswer.Parse(body);
            Assert.Equal(Account.Size, page.Total);
            Assert.Equal(100, page.Ids.Count);
            ids.AddRange(page.Ids);
        }
        Assert.Equal(Account.Size, ids.Distinct().Count());
        var expected = account.Ordered(field, descending);
        var at = Enumerable.Range(0, ids.Count).FirstOrDefault(i => ids[i] != expected[i], -1);
        Assert.True(at < 0, $"{what}: position {at} holds customer {(at < 0 ? 0 : ids[at])}, the model expects {(at < 0 ? 0 : expected[at])}:\n" +
                            (at < 0 ? "" : $"{account.Describe(ids[at], field)}\n{account.Describe(expected[at], field)}"));
    }

    /// <summary>One account of <see cref="Size"/> generated customers, created with several requests in flight.</summary>
    public sealed class Account : IAsyncLifetime
    {
        public const int Size = 1000;
        private const int Seed = 20_201_028;

        private ClienteleApp? _app;
        private List<ModelCustomer> _model = [];

        public HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _app = await ClienteleApp.StartAsync();
            Client = await _app.CreateClientAsync("paging");
            var customers = CustomerData.Generate(new Random(Seed), Size);
            var ids = await CustomerData.CreateAllAsync(Client, customers, parallelism: 8);
            _model = [.. customers.Select(c => new ModelCustomer(ids[c.Key], c))];
        }

        /// <summary>
        /// Every page, one request at a time: concurrent reads would only measure how the server queues them
        /// (and on SQLite they wait on each other, see <c>Search_WhileAWriteIsInFlight_AnswersWithoutWaitingForIt</c>).
        /// </summary>
        public async Task<List<(HttpStatusCode Status, string Body)>> PagesAsync(Func<int, (HttpMethod Method, string Path, string? Body)> request)
        {
            var pages = new List<(HttpStatusCode, string)>();
            for (var page = 0; page < Size / 100; page++)
            {
                var (method, path, body) = request(page);
                pages.Add(await Client.CallAsync(method, path, body));
            }
            return pages;
        }

        public IReadOnlyList<long> Ordered(string field, bool descending) =>
            [.. SearchModel.Order(_model, field, descending).Select(c => c.Id)];

        public string Describe(long id, string field)
        {
            var customer = _model.Single(c => c.Id == id).Spec;
            var value = field switch
            {
                "id" => id.ToString(CultureInfo.InvariantCulture),
                "firstSeen" or "lastSeen" => customer.DateOf(field)?.ToString(CultureInfo.InvariantCulture) ?? "null",
                "unsubscribed" or "blocked" => customer.FlagOf(field) ? "true" : "false",
                _ => customer.TextOf(field) is { } text ? $"\"{text}\"" : "null",
            };
            return $"  customer {id}: {field} = {value}";
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
