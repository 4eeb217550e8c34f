using System.Net;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// One client of the crash workload. It owns its customers (no other client touches them) and writes to them one
/// request at a time, so when the server is killed at most one of its requests is in flight: after the restart each
/// customer must read exactly as the last acknowledged answer showed it, or, for the customers of the request cut
/// off, as that request would have left them (all of them or none). See <see cref="CrashRecovery"/> for the checks.
/// </summary>
public sealed class CrashClient(int index, int seed)
{
    /// <summary>A bound on one load phase, whatever the timing; a phase normally ends at the kill long before.</summary>
    private const int MaxRequestsPerPhase = 5000;

    private readonly CrashRequests _requests = new(index, seed);

    public int Index => index;

    /// <summary>Customer id → raw JSON of the last acknowledged answer for it (or of what a restart found applied).</summary>
    public Dictionary<long, string> Live { get; } = [];

    /// <summary>Deleted for good, not yet checked to answer 404.</summary>
    public HashSet<long> DeletedSinceCheck { get; } = [];

    /// <summary>Event name → customer, for events acknowledged (or found applied) whose customer still lives.</summary>
    public Dictionary<string, long> Events { get; } = [];

    /// <summary>Event name → customer for events cut off by a kill, settled by the next event check.</summary>
    public Dictionary<string, long> UncertainEvents { get; } = [];

    /// <summary>The request the kill cut off: sent, answer never read.</summary>
    public CrashRequest? InFlight { get; set; }

    public List<string> Problems { get; } = [];

    public int Acknowledged { get; private set; }

    /// <summary>
    /// Writes until a request fails because the server was killed (<paramref name="killed"/> is set before the kill), so the
    /// last request is the one cut off, or until a bound is hit. A request failing before the kill is a failure of the test.
    /// </summary>
    public async Task RunAsync(HttpClient http, Func<bool> killed, TimeSpan bound)
    {
        var stop = DateTime.UtcNow + bound;
        for (var n = 0; n < MaxRequestsPerPhase && DateTime.UtcNow < stop && Problems.Count == 0; n++)
        {
            var request = _requests.Next(Live);
            InFlight = request;
            HttpStatusCode status;
            string body;
            try
            {
                (status, body) = await http.CallAsync(request.Method, request.Path, request.Body);
            }
            catch (Exception e) when (killed() && e is HttpRequestException or IOException or OperationCanceledException)
            {
                // Whether it was applied is for the restarted server to show.
                return;
            }
            InFlight = null;
            Acknowledge(request, status, body);
        }
    }

    private void Acknowledge(CrashRequest request, HttpStatusCode status, string body)
    {
        switch (request)
        {
            case CreateRequest create when status == HttpStatusCode.Created:
                CheckModel(request, body, create.Expected);
                Live[WireAssertions.IdOf(body)] = body;
                break;
            case UpdateRequest update when status == HttpStatusCode.OK:
                var answers = update.IsBatch ? BatchItems(body) : [body];
                if (answers.Count != update.Customers.Count)
                {
                    Problems.Add($"{request} answered {answers.Count} customers: {body}");
                    return;
                }
                for (var i = 0; i < answers.Count; i++)
                {
                    CheckModel(request, answers[i], update.Customers[i].State);
                    Live[update.Customers[i].Id] = answers[i];
                }
                break;
            case DeleteRequest delete when status == HttpStatusCode.OK && body == "\"Ok\"":
                Live.Remove(delete.Id);
                DeletedSinceCheck.Add(delete.Id);
                break;
            case EventRequest write when status == HttpStatusCode.OK:
                Events[write.Name] = write.CustomerId;
                break;
            default:
                Problems.Add($"{request} answered {(int)status}: {body}");
                return;
        }
        Acknowledged++;
    }

    /// <summary>The model must predict every acknowledged answer, or it could not be trusted for the ones a kill cut off.</summary>
    private void CheckModel(CrashRequest request, string answer, System.Text.Json.Nodes.JsonObject expected)
    {
        if (!CustomerModel.Matches(answer, expected))
        {
            Problems.Add($"{request} answered {answer}; the model expected {CustomerModel.Canonical(expected)}");
        }
    }

    /// <summary>Each customer of a batch answer exactly as the server wrote it.</summary>
    public static List<string> BatchItems(string body)
    {
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetRawText())];
    }
}
