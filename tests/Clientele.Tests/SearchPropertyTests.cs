using System.Globalization;
using System.Net;
using System.Text;
using Clientele.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Clientele.Tests;

/// <summary>
/// Random searches over random accounts, answered by the server and by <see cref="SearchModel"/>: the ids of the
/// page, in order, and the total must agree. One server; each dataset lives in its own account and serves many
/// requests. A failure is shrunk (FsCheck shrinks the request, then the dataset is cut down customer by customer)
/// and reported with the seed that replays it (<c>CLIENTELE_SEARCH_SEED</c>).
/// </summary>
public sealed class SearchPropertyTests
{
    private const int Datasets = 20;
    private const int QueriesPerDataset = 50;
    private const int MaxCustomers = 40;
    private const int DefaultSeed = 1_603_885_746;
    private const string SeedVariable = "CLIENTELE_SEARCH_SEED";

    [Fact]
    public async Task Search_RandomRequestsOverRandomAccounts_AnswerAsTheReferenceModel()
    {
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultSeed;
        await using var app = await ClienteleApp.StartAsync();
        // Accounts are filled in parallel (the writer commits them in groups); searches then run one at a time,
        // on a thread of their own because FsCheck is synchronous: blocking it starves no request thread.
        var datasets = await Task.WhenAll(Enumerable.Range(0, Datasets).Select(index =>
        {
            var random = new Random(unchecked(seed + index * 7919));
            return Dataset.CreateAsync(app, $"acct-{index}", CustomerData.Generate(random, random.Next(MaxCustomers + 1)));
        }));
        var (failures, checkedQueries) = await Task.Factory.StartNew(
            () => CheckAll(datasets, seed), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var reports = new List<string>();
        foreach (var (index, failure) in failures)
        {
            reports.Add(await ReportAsync(app, seed, index, datasets[index], failure));
        }

        Assert.True(reports.Count == 0, string.Join("\n\n", reports));
        Assert.True(checkedQueries >= Datasets * QueriesPerDataset, $"only {checkedQueries} requests were checked");
    }

    private static (List<(int Index, Failure Failure)> Failures, int Count) CheckAll(Dataset[] datasets, int seed)
    {
        var failures = new List<(int, Failure)>();
        var count = 0;
        for (var index = 0; index < datasets.Length; index++)
        {
            var (failure, checkedHere) = Check(datasets[index], seed, index);
            count += checkedHere;
            if (failure is not null)
            {
                failures.Add((index, failure));
            }
        }
        return (failures, count);
    }

    private static (Failure? Failure, int Count) Check(Dataset dataset, int seed, int index)
    {
        Failure? last = null;
        var count = 0;
        var property = Prop.ForAll(SearchGenerators.Queries(dataset.Customers), query =>
        {
            count++;
            var failure = dataset.RunAsync(query).GetAwaiter().GetResult();
            // While FsCheck shrinks, the last failing request is the smallest one found so far.
            last = failure ?? last;
            return failure is null;
        });
        var replay = new Replay(new Rnd(unchecked((ulong)seed), (ulong)(2 * index + 1)), FSharpOption<int>.None);
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(QueriesPerDataset)
            .WithQuietOnSuccess(true)
            .WithReplay(FSharpOption<Replay>.Some(replay));
        try
        {
            global::FsCheck.Check.One(config, property);
        }
        catch (Exception) when (last is not null)
        {
            // Reported below with the dataset, which FsCheck's own message lacks.
        }
        return (last, count);
    }

    /// <summary>Cuts the dataset down (each try in a new account) while the shrunk request still fails, then describes the case.</summary>
    private static async Task<string> ReportAsync(ClienteleApp app, int seed, int index, Dataset dataset, Failure failure)
    {
        var pinned = failure.Query.Clauses.OfType<IdClause>().Select(c => c.Key).OfType<int>().ToHashSet();
        var keep = dataset.Customers.ToList();
        var current = (Dataset: dataset, Failure: failure);
        var attempts = 0;
        for (var chunk = Math.Max(1, keep.Count / 2); chunk >= 1 && attempts < 40; chunk /= 2)
        {
            for (var start = 0; start < keep.Count && attempts < 40;)
            {
                var candidate = keep.Where((c, i) => i < start || i >= start + chunk || pinned.Contains(c.Key)).ToList();
                if (candidate.Count == keep.Count)
                {
                    start += chunk;
                    continue;
                }
                attempts++;
                var trial = await Dataset.CreateAsync(app, $"acct-{index}-min-{attempts}", candidate);
                if (await trial.RunAsync(failure.Query) is { } stillFailing)
                {
                    keep = candidate;
                    current = (trial, stillFailing);
                }
                else
                {
                    start += chunk;
                }
            }
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Search disagrees with the model (seed {seed}, dataset {index}; replay with {SeedVariable}={seed}).")
            .AppendLine(CultureInfo.InvariantCulture, $"Minimal dataset, {current.Dataset.Customers.Count} customer(s), created in this order (id: POST /customers body):");
        foreach (var customer in current.Dataset.Customers)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {current.Dataset.IdOf(customer.Key)}: {customer.Body}");
        }
        return report
            .AppendLine(CultureInfo.InvariantCulture, $"Request: POST /customers/search {current.Failure.Json}")
            .AppendLine(CultureInfo.InvariantCulture, $"Expected: {current.Failure.Expected}")
            .AppendLine(CultureInfo.InvariantCulture, $"Actual:   {current.Failure.Actual}")
            .ToString();
    }

    private sealed record Failure(SearchQuery Query, string Json, SearchAnswer Expected, string Actual);

    /// <summary>An account holding a generated dataset, and the model's copy of it.</summary>
    private sealed class Dataset(HttpClient client, IReadOnlyList<CustomerSpec> customers, Dictionary<int, long> ids)
    {
        private readonly List<ModelCustomer> _model = [.. customers.Select(c => new ModelCustomer(ids[c.Key], c))];

        public IReadOnlyList<CustomerSpec> Customers => customers;

        public long IdOf(int key) => ids[key];

        /// <summary>
        /// Created one by one, so ids follow the keys and a seed replays the same order. Every fourth customer is
        /// first created as a decoy and then replaced (PUT) by its real body, and a customer created last is
        /// deleted again: the search copies (folded columns, trigram index, tag links) must follow both.
        /// </summary>
        public static async Task<Dataset> CreateAsync(ClienteleApp app, string account, IReadOnlyList<CustomerSpec> customers)
        {
            var client = await app.CreateClientAsync(account);
            var ids = new Dictionary<int, long>();
            foreach (var customer in customers)
            {
                if (customer.Key % 4 != 1)
                {
                    ids[customer.Key] = await client.CreateCustomerAsync(customer.Body);
                    continue;
                }
                var id = await client.CreateCustomerAsync(Decoy);
                var (status, body) = await client.CallAsync(HttpMethod.Put, $"customers/{id}", customer.Body);
                Assert.True(status == HttpStatusCode.OK, $"replacing with {customer.Body} answered {(int)status}: {body}");
                ids[customer.Key] = id;
            }
            var doomed = await client.CreateCustomerAsync(Decoy);
            Assert.Equal(HttpStatusCode.OK, (await client.CallAsync(HttpMethod.Delete, $"customers/{doomed}")).Status);
            return new Dataset(client, customers, ids);
        }

        private const string Decoy = """
            {"name":"Decoy Émile","email":"decoy@alice.io","company":"decoy жанна","phone":"12345","city":"alice","firstSeen":1,
             "blocked":true,"tags":[{"name":"vip"},{"name":"lead"}],"customData":{"plan":"pro","seats":5,"active":true}}
            """;

        public async Task<Failure?> RunAsync(SearchQuery query)
        {
            var json = query.ToJson(IdOf);
            var expected = SearchModel.Run(_model, query, IdOf);
            var (status, body) = await client.CallAsync(HttpMethod.Post, "customers/search", json);
            if (status != HttpStatusCode.OK)
            {
                return new Failure(query, json, expected, $"{(int)status} {body}");
            }
            var actual = SearchAnswer.Parse(body);
            return actual.SameAs(expected) ? null : new Failure(query, json, expected, actual.ToString());
        }
    }
}
