using System.Collections.Concurrent;
using System.Text;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// Failures of a fuzz run, grouped by the kind of request and what went wrong, with a few replayable
/// examples each, so one run reports every distinct bug instead of stopping at the first.
/// </summary>
public sealed class FuzzFailures(int seed)
{
    private const int ExamplesPerGroup = 3;

    private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private int _total;

    public int Seed { get; } = seed;

    public int Count => _total;

    public void Add(string kind, string problem, string request)
    {
        Interlocked.Increment(ref _total);
        // "answered 500 (a 5xx): {...}" groups as "answered 500 (a 5xx)".
        var colon = problem.IndexOf(": ", StringComparison.Ordinal);
        var what = colon > 0 && colon < 90 ? problem[..colon] : problem.Length > 90 ? problem[..90] : problem;
        var group = _groups.GetOrAdd($"{kind} → {what}", _ => new Group());
        lock (group)
        {
            group.Count++;
            if (group.Examples.Count < ExamplesPerGroup)
            {
                group.Examples.Add($"{request}\n        → {problem}");
            }
        }
    }

    public void Add(FuzzRequest request, string problem) => Add(request.Kind, problem, request.Describe());

    /// <summary>The report an assertion shows: the seed to replay with, then each group, largest first.</summary>
    public string Report(string what)
    {
        var builder = new StringBuilder()
            .Append($"{what}: {_total} failure(s) in {_groups.Count} group(s). Replay with FUZZ_SEED={Seed}.\n");
        foreach (var (key, group) in _groups.OrderByDescending(g => g.Value.Count).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            builder.Append($"\n• {group.Count}× {key}\n");
            foreach (var example in group.Examples)
            {
                builder.Append("    ").Append(example).Append('\n');
            }
        }
        return builder.ToString();
    }

    private sealed class Group
    {
        public int Count { get; set; }

        public List<string> Examples { get; } = [];
    }
}

/// <summary>The seed of a fuzz run: <c>FUZZ_SEED</c> when set, so a failure replays, else a fresh one.</summary>
public static class FuzzSeed
{
    public static int Resolve(string test)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("FUZZ_SEED");
        var seed = int.TryParse(fromEnvironment, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var given)
            ? given
            : Random.Shared.Next();
        var line = $"{test}: seed {seed} ({(fromEnvironment is null ? "random; replay with FUZZ_SEED=" + seed : "from FUZZ_SEED")}), provider {TestDatabase.CurrentProvider}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        return seed;
    }

    /// <summary><c>FUZZ_SCALE</c> multiplies the request counts (default 1) for longer soaks.</summary>
    public static double Scale =>
        double.TryParse(Environment.GetEnvironmentVariable("FUZZ_SCALE"), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var scale) && scale > 0
            ? scale
            : 1;
}
