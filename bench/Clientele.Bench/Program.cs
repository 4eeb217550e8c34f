using System.CommandLine;
using Clientele.Bench;

// Socket completions run on the event thread instead of hopping to the thread pool: a third cheaper per request,
// which matters when the generator shares two cores with the server. Read once, at the first socket; never passed on
// to the processes the bench starts (Child.Start), whose behaviour it would change.
Environment.SetEnvironmentVariable(Child.InlineCompletions, "1");

var customers = new Option<int>("--customers") { Description = "Customers in the data set", DefaultValueFactory = _ => 100_000 };
var duration = new Option<double>("--duration") { Description = "Seconds each scenario is measured", DefaultValueFactory = _ => 10 };
var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured load before each scenario (and, doubled, of GETs when a server has started)", DefaultValueFactory = _ => 3 };
var connections = new Option<int>("--connections") { Description = "Concurrent keep-alive connections", DefaultValueFactory = _ => 32 };
var providers = new Option<string>("--providers") { Description = "Storage providers, comma-separated: sqlite,postgres", DefaultValueFactory = _ => "sqlite,postgres" };
var postgres = new Option<string?>("--postgres")
{
    Description = "PostgreSQL connection string of a server the bench may create a database on (default: $CLIENTELE_TEST_POSTGRES, as scripts/postgres.sh prints)",
    DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CLIENTELE_TEST_POSTGRES"),
};
var repo = new Option<string?>("--repo") { Description = "The Clientele repository (default: the one around the working directory)" };
var output = new Option<string?>("--out") { Description = "The Markdown report to write; the chart goes beside it (default bench/RESULTS.md, with --smoke bench/out/smoke.md)" };
var smoke = new Option<bool>("--smoke") { Description = "A check that everything works, in seconds: 2,000 customers, 1 s per scenario, SQLite only" };
var budget = new Option<double?>("--budget")
{
    Description = "Minutes after which the whole run is stopped and every process it started killed (default: from the size and durations, assuming an import of at least 1,000 customers/s)",
};
var keep = new Option<bool>("--keep") { Description = "Keep the working directory (data set, databases, logs)" };
var quiet = new Option<double?>("--quiet-wait")
{
    Description = "Minutes, in all, to wait for other work on a shared machine to stop before the run and before re-running a disturbed scenario (default 20; 0 with --smoke)",
};
var only = new Option<string?>("--scenarios") { Description = $"Run only these scenarios, comma-separated: {string.Join(',', Bench.RunOrder)}" };
var command = new Option<string?>("--command") { Description = "The command line to name in the report" };

var root = new RootCommand("Clientele's benchmark: data set, import, server on each provider, closed-loop load, report")
{
    customers, duration, warmup, connections, providers, postgres, repo, output, smoke, budget, keep, quiet, only, command,
};
root.SetAction(async (parse, cancellationToken) =>
{
    var repository = parse.GetValue(repo) ?? FindRepository(Directory.GetCurrentDirectory());
    if (repository is null)
    {
        await Console.Error.WriteLineAsync("Run from inside the Clientele repository, or give --repo.");
        return 2;
    }
    var isSmoke = parse.GetValue(smoke);
    var count = isSmoke ? 2_000 : parse.GetValue(customers);
    var options = new BenchOptions(
        Customers: count,
        Duration: TimeSpan.FromSeconds(isSmoke ? 1 : parse.GetValue(duration)),
        Warmup: TimeSpan.FromSeconds(isSmoke ? 0.3 : parse.GetValue(warmup)),
        Connections: parse.GetValue(connections),
        Providers: isSmoke ? ["sqlite"] : parse.GetValue(providers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        Postgres: parse.GetValue(postgres),
        Repo: repository,
        Out: Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(repository, "bench", isSmoke ? "out/smoke.md" : "RESULTS.md")),
        Command: parse.GetValue(command) ?? "Clientele.Bench " + string.Join(' ', args),
        Budget: TimeSpan.FromMinutes(parse.GetValue(budget) ?? DefaultBudgetMinutes(count, parse.GetValue(duration), parse.GetValue(warmup), isSmoke) + (parse.GetValue(quiet) ?? (isSmoke ? 0 : 20))),
        Keep: parse.GetValue(keep),
        QuietWait: TimeSpan.FromMinutes(parse.GetValue(quiet) ?? (isSmoke ? 0 : 20)),
        Scenarios: parse.GetValue(only) is { } list
            ? [.. Bench.RunOrder.Where(list.Split(',', StringSplitOptions.TrimEntries).Contains)]
            : Bench.RunOrder);
    if (options.Customers < 10 || options.Connections < 1 || options.Duration <= TimeSpan.Zero
        || options.Providers.Any(p => p is not ("sqlite" or "postgres")) || options.Scenarios.Count == 0)
    {
        await Console.Error.WriteLineAsync("--customers ≥ 10, --connections ≥ 1, --duration > 0, --providers from sqlite,postgres, --scenarios from " + string.Join(',', Bench.RunOrder) + ".");
        return 2;
    }

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    stop.CancelAfter(options.Budget);
    try
    {
        using var bench = new Bench(options);
        return await bench.RunAsync(stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        await Console.Error.WriteLineAsync(cancellationToken.IsCancellationRequested
            ? "Stopped."
            : $"Stopped: the run took longer than its budget of {options.Budget.TotalMinutes:F0} minutes (--budget).");
        return 3;
    }
});

// Time to kill the processes the bench started when it is stopped (SIGINT, SIGTERM).
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });

// Five minutes for data set, baseline, wrk and report; per provider the import at 1,000 customers/s or better and
// every scenario (the neighbour counts as two timed runs plus a few seconds of setup), each possibly run twice, with
// 15 s to start, sample and stop: 100,000 customers and 10 s, 29 minutes, plus the time it may wait for a quiet machine.
static double DefaultBudgetMinutes(int customers, double duration, double warmup, bool smoke) =>
    smoke ? 5 : 5 + 2 * (customers / 1000.0 + (Bench.RunOrder.Length + 1) * (2 * (duration + warmup) + 15)) / 60;

static string? FindRepository(string from)
{
    for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Clientele.slnx")))
        {
            return dir.FullName;
        }
    }
    return null;
}
