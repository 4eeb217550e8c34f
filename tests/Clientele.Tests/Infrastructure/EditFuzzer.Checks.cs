using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>How answers are judged: against the model, against a fresh GET, against the state before a refusal.</summary>
public sealed partial class EditFuzzer
{
    /// <summary>
    /// Takes a customer from a 2xx answer: compares it with the model's expectation (when the spec fixes one),
    /// with a fresh GET (byte for byte), learns its tag colours, and makes it the model's state.
    /// </summary>
    private async Task AdoptAsync(FuzzRequest request, string raw, CustomerState? expected, long? id)
    {
        CustomerState? actual;
        long answeredId;
        try
        {
            using var document = JsonDocument.Parse(raw);
            string? problem;
            (actual, problem) = CustomerState.Read(document.RootElement);
            answeredId = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var idValue) && idValue.ValueKind == JsonValueKind.Number ? idValue.GetInt64() : 0;
            if (problem is not null)
            {
                failures.Add(request, $"the answer is not a customer of spec §3 ({problem}): {FuzzSending.Clip(raw)}");
            }
        }
        catch (JsonException e)
        {
            failures.Add(request, $"the answer is not JSON ({e.Message}): {FuzzSending.Clip(raw)}");
            return;
        }
        if (id is { } wanted && answeredId != wanted)
        {
            failures.Add(request, $"the answer is customer {answeredId}, not {wanted}");
        }
        if (actual is null || answeredId <= 0)
        {
            return;
        }
        if (expected is not null && expected.Difference(actual) is { } difference)
        {
            failures.Add(request, "the answer differs from what the spec says: " + difference);
        }
        if (_colours.Learn(actual.Tags) is { } colourProblem)
        {
            failures.Add(request, colourProblem);
        }
        var get = await SendAsync(Request("GET after a 2xx", "GET", $"v1/customers/{answeredId}", null, FuzzExpect.Accept) with { Status = 200 });
        if (get.Answer.Status == 200 && get.Answer.Body != raw)
        {
            using var stored = JsonDocument.Parse(get.Answer.Body);
            var now = CustomerState.Read(stored.RootElement).State;
            failures.Add(request, "GET shows another customer than the 2xx answered: "
                + (now is null ? FuzzSending.Clip(get.Answer.Body) : actual.Difference(now) ?? "same values, other bytes"));
            // What is stored is what later requests act on.
            actual = now ?? actual;
        }
        _customers[answeredId] = (actual, get.Answer.Status == 200 ? get.Answer.Body : raw);
    }

    private async Task CheckUnchangedAsync(FuzzRequest request, long id, string previousRaw)
    {
        var (answer, _) = await SendAsync(Request("GET after a refusal", "GET", $"v1/customers/{id}", null, FuzzExpect.Accept) with { Status = 200 });
        if (answer.Status == 200 && answer.Body != previousRaw)
        {
            failures.Add(request, $"a refused request changed the customer: before {FuzzSending.Clip(previousRaw)}, after {FuzzSending.Clip(answer.Body)}");
            using var document = JsonDocument.Parse(answer.Body);
            _customers[id] = (CustomerState.Read(document.RootElement).State ?? _customers[id].State, answer.Body);
        }
    }

    private async Task CheckTotalAsync(FuzzRequest request)
    {
        var (answer, clean) = await SendAsync(Request("list after a refused create", "GET", "v1/customers?limit=1", null, FuzzExpect.Accept) with { Status = 200 });
        if (clean && WireAssertions.PageTotal(answer.Body) != _customers.Count)
        {
            failures.Add(request, $"a refused create changed the account: {WireAssertions.PageTotal(answer.Body)} customers, expected {_customers.Count}");
        }
    }

    /// <summary>At the end: the account's list, paged, holds exactly the model's customers, each byte for byte as its GET.</summary>
    private async Task VerifyListAsync()
    {
        var listed = new List<string>();
        for (var offset = 0; ; offset += 100)
        {
            var (answer, clean) = await SendAsync(Request("final list", "GET", $"v1/customers?offset={offset}&limit=100", null, FuzzExpect.Accept) with { Status = 200 });
            if (!clean)
            {
                return;
            }
            using var document = JsonDocument.Parse(answer.Body);
            var page = document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetRawText()).ToList();
            listed.AddRange(page);
            if (page.Count < 100)
            {
                break;
            }
        }
        var expected = _customers.OrderBy(c => c.Key).Select(c => c.Value.Raw).ToList();
        if (!listed.SequenceEqual(expected))
        {
            var first = listed.Zip(expected).FirstOrDefault(p => p.First != p.Second);
            failures.Add("final list", $"the list of worker {worker}'s account differs from its customers ({listed.Count} listed, {expected.Count} expected); first difference: listed {FuzzSending.Clip(first.First ?? "")} expected {FuzzSending.Clip(first.Second ?? "")}", "GET /v1/customers paged");
        }
    }
}
