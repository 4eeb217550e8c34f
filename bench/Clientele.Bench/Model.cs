namespace Clientele.Bench;

/// <param name="Out">The Markdown report; the chart is written beside it.</param>
/// <param name="Scenarios">The scenarios to run (keys), in run order.</param>
/// <param name="QuietWait">How long, in all, the run may wait for other work on the shared machine to stop.</param>
/// <param name="Budget">The whole run is cancelled (and every process it started killed) past this.</param>
internal sealed record BenchOptions(
    int Customers, TimeSpan Duration, TimeSpan Warmup, int Connections, IReadOnlyList<string> Providers,
    string? Postgres, string Repo, string Out, string Command, TimeSpan Budget, bool Keep, TimeSpan QuietWait, IReadOnlyList<string> Scenarios);

/// <param name="Matches">For searches and lists: how many customers matched, from sample requests.</param>
internal sealed record ScenarioRun(
    Scenario Scenario, LoadResult? Result, double RssMB, Cores Cores, string? Matches, string? Error, int Attempts = 1)
{
    public double CustomersPerSecond => (Result?.PerSecond ?? 0) * Scenario.CustomersPerRequest;
}

/// <param name="Seconds">As the import verb reports it (reading, validating and writing).</param>
/// <param name="WallSeconds">The whole process, start-up and migration included.</param>
internal sealed record ImportRun(long Customers, double Seconds, double WallSeconds)
{
    public double PerSecond => Customers / Seconds;
}

internal sealed record ProviderRun(
    string Provider, ImportRun? Import, IReadOnlyList<ScenarioRun> Scenarios, double PeakRssMB, double DatabaseMB, string? Error, NeighbourRun? Neighbour = null)
{
    public ScenarioRun? this[string key] => Scenarios.FirstOrDefault(s => s.Scenario.Key == key);

    public string Title => Provider == "postgres" ? "PostgreSQL" : "SQLite";
}

internal sealed record BenchRun(
    BenchOptions Options, DateTimeOffset Started, TimeSpan Elapsed, IReadOnlyList<(string Name, string Value)> Machine,
    long DataSetBytes, ScenarioRun Baseline, WrkResult? Wrk, string? WrkError, IReadOnlyList<ProviderRun> Providers);
