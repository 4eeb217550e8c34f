using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clientele.Search;
using Clientele.Storage;
using Clientele.Storage.Sqlite;
using Clientele.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Clientele.Tests;

/// <summary>
/// The SQL the server builds for a search, planned by SQLite over a database holding two accounts of customers:
/// the selective clauses must be answered from an index (or the trigram table), never by scanning the customers.
/// Every statement is planned twice: on the database as the server leaves it (no statistics), and on a copy
/// after <c>ANALYZE</c> (what <c>PRAGMA optimize</c> or an operator would add). The data is only read, so one
/// server serves the whole class.
/// </summary>
public sealed class QueryPlanTests(QueryPlanTests.Database database) : IClassFixture<QueryPlanTests.Database>
{
    [Theory]
    [InlineData("email", "Someone42@Example.com", "ix_customers_email")]
    [InlineData("userId", "CRM-42", "ix_customers_user_id_ci")]
    [InlineData("phone", "+38050000042", "ix_customers_phone")]
    public async Task Plan_EqualOnIndexedString_SearchesItsFoldedIndex(string field, string value, string index)
    {
        foreach (var plan in await database.CountPlansAsync(Clause(field, "=", JsonSerializer.Serialize(value))))
        {
            AssertUsesIndex(plan, index);
        }
    }

    [Theory]
    [InlineData("firstSeen", "=", "ix_customers_first_seen")]
    [InlineData("firstSeen", ">", "ix_customers_first_seen")]
    [InlineData("firstSeen", "<=", "ix_customers_first_seen")]
    [InlineData("lastSeen", "=", "ix_customers_last_seen")]
    [InlineData("lastSeen", ">=", "ix_customers_last_seen")]
    [InlineData("lastSeen", "<", "ix_customers_last_seen")]
    public async Task Plan_DateComparison_SearchesTheDateIndex(string field, string op, string index)
    {
        foreach (var plan in await database.CountPlansAsync(DateClause(field, op)))
        {
            AssertUsesIndex(plan, index);
        }
    }

    [Theory]
    [InlineData("name", "meone 4")]
    [InlineData("email", "ONE42@EX")]
    [InlineData("company", "жан")]
    public async Task Plan_ContainsThreeOrMoreCharacters_GoesThroughTheTrigramTable(string field, string needle)
    {
        foreach (var plan in await database.CountPlansAsync(Clause(field, "~", JsonSerializer.Serialize(needle))))
        {
            AssertUsesTrigramTable(plan);
        }
    }

    /// <summary>
    /// The page statement adds <c>ORDER BY c.id LIMIT 100</c>; the id order must not tempt the planner into walking
    /// every customer of the account when a selective index answers the filter.
    /// </summary>
    [Theory]
    [InlineData("email", "=", "ix_customers_email")]
    [InlineData("userId", "=", "ix_customers_user_id_ci")]
    [InlineData("phone", "=", "ix_customers_phone")]
    [InlineData("firstSeen", "=", "ix_customers_first_seen")]
    [InlineData("firstSeen", ">", "ix_customers_first_seen")]
    [InlineData("lastSeen", "<", "ix_customers_last_seen")]
    [InlineData("name", "~", null)]
    [InlineData("email", "~", null)]
    public async Task Plan_PageOfASelectiveSearch_IsAnsweredFromTheIndexToo(string field, string op, string? index)
    {
        var search = field switch
        {
            "firstSeen" or "lastSeen" => DateClause(field, op),
            "name" => Clause(field, op, "\"meone 42\""),
            "email" => Clause(field, op, op == "~" ? "\"ONE42@EX\"" : "\"someone42@example.com\""),
            "userId" => Clause(field, op, "\"crm-42\""),
            _ => Clause(field, op, "\"+38050000042\""),
        };
        foreach (var plan in await database.PagePlansAsync(search))
        {
            if (index is null)
            {
                AssertUsesTrigramTable(plan);
            }
            else
            {
                AssertUsesIndex(plan, index);
            }
        }
    }

    /// <summary>
    /// A tag search starts from the tag and its links, in customer order: the count and the page cost the customers
    /// holding the tag, not a probe of every customer of the account (a walk of an account index is no scan, so the
    /// assertion is that customers are only ever fetched by id).
    /// </summary>
    [Theory]
    [InlineData("""[{"name":"vip"}]""")]
    [InlineData("""[{"name":"everyone"}]""")]
    [InlineData("""[{"name":"vip"},{"name":"everyone"}]""")]
    public async Task Plan_TagSearch_StartsFromTheTagsLinks(string tags)
    {
        var search = Clause("tagsData", "=", tags);
        foreach (var plan in (await database.CountPlansAsync(search)).Concat(await database.PagePlansAsync(search)))
        {
            AssertUsesIndex(plan, "ix_customer_tags_tag");
            AssertFetchesCustomersById(plan);
        }
    }

    /// <summary>
    /// In id order, a page of one <c>~</c> walks the trigram table's matches in that order and stops at the page's
    /// end: no collecting and sorting of every match first.
    /// </summary>
    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task Plan_PageOfAContainsSearchInIdOrder_WalksTheTrigramTableWithoutSorting(string order)
    {
        foreach (var plan in await database.PagePlansAsync($$"""{"filter":[{"field":"customers.email","operator":"~","value":"one4"}],"order":"{{order}}"}"""))
        {
            AssertUsesTrigramTable(plan);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("LIST SUBQUERY", plan, StringComparison.Ordinal);
        }
    }

    /// <summary>The total of an unfiltered list or search is the account's kept count, whatever the account's size.</summary>
    [Theory]
    [InlineData("{}")]
    [InlineData("""{"filter":[],"comparison":"OR"}""")]
    public async Task Plan_TotalOfEveryCustomer_ReadsTheAccountsCount(string search)
    {
        foreach (var plan in await database.CountPlansAsync(search))
        {
            Assert.True(plan.Contains("SEARCH customer_counts USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal), "the kept count is not read:\n" + plan);
            Assert.DoesNotContain(" c ", plan.Split('\n', 2)[1], StringComparison.Ordinal);
        }
    }

    /// <summary>In id order, a page of one tag walks the tag's links in that order and stops at the page's end.</summary>
    [Theory]
    [InlineData("asc")]
    [InlineData("desc")]
    public async Task Plan_PageOfOneTagInIdOrder_WalksTheLinksWithoutSorting(string order)
    {
        foreach (var plan in await database.PagePlansAsync($$"""{"filter":[{"field":"customers.tagsData","operator":"=","value":[{"name":"everyone"}]}],"order":"{{order}}"}"""))
        {
            AssertUsesIndex(plan, "ix_customer_tags_tag");
            AssertFetchesCustomersById(plan);
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("LIST SUBQUERY", plan, StringComparison.Ordinal);
        }
    }

    /// <summary>Each tag of an <c>OR</c> is found from its links too.</summary>
    [Fact]
    public async Task Plan_OrOfTwoTags_StartsFromTheTagsLinks()
    {
        const string search = """
            {"comparison":"OR","filter":[{"field":"customers.tagsData","operator":"=","value":[{"name":"vip"}]},
                                         {"field":"customers.tagsData","operator":"=","value":[{"name":"rare"}]}]}
            """;
        foreach (var plan in (await database.CountPlansAsync(search)).Concat(await database.PagePlansAsync(search)))
        {
            AssertUsesIndex(plan, "ix_customer_tags_tag");
            AssertFetchesCustomersById(plan);
        }
    }

    /// <summary>A comparison a few customers wide: selective, as a real "seen in the last hour" query is.</summary>
    private static string DateClause(string field, string op)
    {
        var value = op.StartsWith('>') ? Database.FirstSecond + Database.PerAccount - 3 : Database.FirstSecond + 2;
        return Clause(field, op, value.ToString(CultureInfo.InvariantCulture));
    }

    private static void AssertUsesTrigramTable(string plan)
    {
        Assert.True(plan.Contains("VIRTUAL TABLE INDEX", StringComparison.Ordinal), "the trigram table is not used:\n" + plan);
        AssertNoScanOfCustomers(plan);
        // Each customer the trigram table names is then fetched by its id, not found by walking the account.
        AssertFetchesCustomersById(plan);
    }

    /// <summary>An id or rowid constraint on every lookup of <c>c</c> (<c>account_id=?</c> alone walks the account).</summary>
    private static void AssertFetchesCustomersById(string plan) =>
        Assert.True(plan.Split('\n').Where(l => l.StartsWith("SEARCH c ", StringComparison.Ordinal)).All(l => Regex.IsMatch(l, @"(?<![\w])(row)?id=\?")),
            "customers are not fetched by id:\n" + plan);

    private static string Clause(string field, string op, string valueJson) =>
        $$"""{"filter":[{"field":"customers.{{field}}","operator":"{{op}}","value":{{valueJson}}}]}""";

    private static void AssertUsesIndex(string plan, string index)
    {
        Assert.True(plan.Contains($"INDEX {index} ", StringComparison.Ordinal), $"{index} is not used:\n{plan}");
        AssertNoScanOfCustomers(plan);
    }

    private static void AssertNoScanOfCustomers(string plan) =>
        Assert.False(plan.Split('\n').Any(line => line == "SCAN c" || line.StartsWith("SCAN c ", StringComparison.Ordinal)), "customers are scanned:\n" + plan);

    /// <summary>A server whose database holds two accounts of <see cref="PerAccount"/> varied customers, analysed.</summary>
    public sealed class Database : IAsyncLifetime
    {
        public const int PerAccount = 200;
        public const long FirstSecond = 1_600_000_000;

        private ClienteleApp? _app;
        private SqlitePlans? _plans;
        private long _accountId;

        public async ValueTask InitializeAsync()
        {
            if (TestDatabase.IsPostgres)
            {
                return;
            }
            _app = await ClienteleApp.StartAsync();
            foreach (var account in new[] { "other", "acme" })
            {
                var client = await _app.CreateClientAsync(account);
                var bodies = Enumerable.Range(0, PerAccount).Select(i => CustomerData.PlanCustomer(i, FirstSecond)).ToList();
                await CustomerData.CreateAllAsync(client, bodies, parallelism: 8);
            }
            _accountId = (await _app.Services.GetRequiredService<IAccountStore>().FindAccountAsync("acme", TestContext.Current.CancellationToken))!.Value;
            _plans = await SqlitePlans.CopyAndAnalyseAsync(_app.DatabasePath);
        }


        /// <summary>The plans of the count a search runs for its total, built as the server builds it.</summary>
        public Task<string[]> CountPlansAsync(string searchJson) =>
            PlansAsync(searchJson, (command, search) => SqliteSearchSql.Count(command, _accountId, search));

        /// <summary>The plans of the page a search reads, built as the server builds it.</summary>
        public Task<string[]> PagePlansAsync(string searchJson) =>
            PlansAsync(searchJson, (command, search) => SqliteSearchSql.Page(command, _accountId, search, SqliteCustomerColumns.Table.SelectList("c")));

        private async Task<string[]> PlansAsync(string searchJson, Func<SqliteCommand, CustomerSearch, string> sql)
        {
            Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite query plans: this run is on PostgreSQL.");
            using var document = JsonDocument.Parse(searchJson);
            var (search, error) = SearchRequest.Read(document.RootElement);
            Assert.True(search is not null, $"search {searchJson} refused: {error}");
            return
            [
                "[database as the server leaves it, no statistics]\n" + await SqlitePlans.ExplainAsync(_plans!.LivePath, command => sql(command, search)),
                "[after ANALYZE]\n" + await SqlitePlans.ExplainAsync(_plans.AnalysedPath, command => sql(command, search)),
            ];
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
            _plans?.Dispose();
        }
    }
}
