using System.Collections.Concurrent;
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
    private const int Datasets = 16;
    private const int QueriesPerDataset = 40;
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
        var reports = new ConcurrentBag<string>();
        var checkedQueries = 0;

        var options = new ParallelOptions { MaxDegreeOfParallelism = 3, CancellationToken = TestContext.Current.CancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, Datasets), options, async (index, _) =>
        {
            var random = new Random(unchecked(seed + index * 7919));
            var dataset = await Dataset.CreateAsync(app, $"acct-{index}", CustomerData.Generate(random, random.Next(MaxCustomers + 1)));
            // FsCheck runs synchronously: on a thread of its own, so blocking on HTTP starves no request thread.
            var (failure, count) = await Task.Factory.StartNew(
                () => Check(dataset, seed, index), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Interlocked.Add(ref checkedQueries, count);
            if (failure is not null)
            {
                reports.Add(await ReportAsync(app, seed, index, dataset, failure));
            }
        });

        Assert.True(reports.IsEmpty, string.Join("\n\n", reports));
        Assert.True(checkedQueries >= Datasets * QueriesPerDataset, $"only {checkedQueries} requests were checked");
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

        /// <summary>Created one by one, so ids follow the keys and a seed replays the same order.</summary>
        public static async Task<Dataset> CreateAsync(ClienteleApp app, string account, IReadOnlyList<CustomerSpec> customers)
        {
            var client = await app.CreateClientAsync(account);
            return new Dataset(client, customers, await CustomerData.CreateAllAsync(client, customers, parallelism: 1));
        }

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
