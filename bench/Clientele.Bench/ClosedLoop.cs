using System.Diagnostics;
using System.Net;
using HdrHistogram;

namespace Clientele.Bench;

/// <summary>What one timed run measured. Latencies are in microseconds, from the first byte sent to the last byte read.</summary>
internal sealed record LoadResult(long Succeeded, long Failed, IReadOnlyDictionary<int, long> FailedStatuses, double Seconds, HistogramBase Latency)
{
    public double PerSecond => Succeeded / Seconds;

    public double P50Ms => Latency.GetValueAtPercentile(50) / 1000.0;

    public double P99Ms => Latency.GetValueAtPercentile(99) / 1000.0;

    public double MaxMs => Latency.GetMaxValue() / 1000.0;
}

/// <summary>
/// The closed-loop load generator: a fixed number of keep-alive connections, each sending its next request as
/// soon as the previous answer is in, for a fixed time. Throughput is what the server sustains at that
/// concurrency; latency includes the time a request waits behind others in the server.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>60 s: anything slower is recorded as 60 s.</summary>
    private const long HighestMicroseconds = 60_000_000;

    /// <summary>The status a request is counted under when it had no answer 30 s after the run's end.</summary>
    public const int TimedOut = -1;

    /// <summary>A connection that keeps failing stops after this many errors, so a dead server cannot spin the loop.</summary>
    private const int MaxErrorsPerConnection = 1000;

    public static async Task<LoadResult> RunAsync(IPEndPoint endpoint, int connections, TimeSpan duration, Func<Random, byte[]> next, int seed, CancellationToken cancellationToken)
    {
        // A request in flight when the time is up is waited for, but not past this: a hung server ends the run.
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardStop.CancelAfter(duration + TimeSpan.FromSeconds(30));

        var opened = new HttpConnection[connections];
        for (var k = 0; k < connections; k++)
        {
            opened[k] = await HttpConnection.OpenAsync(endpoint, hardStop.Token);
        }
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = new Task<Worker>[connections];
        for (var k = 0; k < connections; k++)
        {
            var worker = new Worker(endpoint, opened[k], new Random(seed * 1000 + k));
            workers[k] = Task.Run(() => worker.RunAsync(next, deadline, hardStop.Token, cancellationToken), cancellationToken);
        }
        var done = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var latency = new LongHistogram(HighestMicroseconds, 3);
        var statuses = new Dictionary<int, long>();
        foreach (var worker in done)
        {
            latency.Add(worker.Latency);
            foreach (var (status, n) in worker.FailedStatuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + n;
            }
            worker.Dispose();
        }
        return new LoadResult(done.Sum(w => w.Succeeded), done.Sum(w => w.Failed), statuses, seconds, latency);
    }

    private sealed class Worker(IPEndPoint endpoint, HttpConnection connection, Random random) : IDisposable
    {
        private HttpConnection? _connection = connection;

        public LongHistogram Latency { get; } = new(HighestMicroseconds, 3);

        public long Succeeded { get; private set; }

        public long Failed { get; private set; }

        /// <summary>Non-2xx answers by status; 0 counts connections that failed (reset, closed, refused), −1 requests that timed out.</summary>
        public Dictionary<int, long> FailedStatuses { get; } = [];

        /// <param name="hardStop">Cancelled 30 s after the deadline: a request still unanswered then counts as timed out and ends the worker.</param>
        public async Task<Worker> RunAsync(Func<Random, byte[]> next, long deadline, CancellationToken hardStop, CancellationToken cancellationToken)
        {
            try
            {
                await LoopAsync(next, deadline, hardStop);
            }
            catch (OperationCanceledException) when (hardStop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                Count(TimedOut);
            }
            return this;
        }

        private async Task LoopAsync(Func<Random, byte[]> next, long deadline, CancellationToken cancellationToken)
        {
            while (Stopwatch.GetTimestamp() < deadline && Failed < MaxErrorsPerConnection)
            {
                var request = next(random);
                var sent = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    _connection ??= await HttpConnection.OpenAsync(endpoint, cancellationToken);
                    status = await _connection.SendAsync(request, cancellationToken);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
                {
                    _connection?.Dispose();
                    _connection = null;
                    Count(0);
                    await Task.Delay(10, cancellationToken);
                    continue;
                }
                var elapsed = Stopwatch.GetElapsedTime(sent);
                Latency.RecordValue(Math.Min(HighestMicroseconds, Math.Max(1, elapsed.Ticks / 10)));
                if (status is >= 200 and < 300)
                {
                    Succeeded++;
                }
                else
                {
                    Count(status);
                }
            }
        }

        private void Count(int status)
        {
            Failed++;
            FailedStatuses[status] = FailedStatuses.GetValueOrDefault(status) + 1;
        }

        public void Dispose() => _connection?.Dispose();
    }
}
