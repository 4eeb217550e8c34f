using System.Net;
using System.Text.Json;

namespace Clientele.Tests.Infrastructure;

/// <summary>
/// What a restarted server must show after a kill (spec §6): every acknowledged write exactly as answered, each request
/// the kill cut off either wholly applied or not at all, deleted customers still gone, no customer nobody created, and
/// events only for customers that exist — every acknowledged one of them.
/// </summary>
public sealed partial class CrashRecovery(TestDatabase database, IReadOnlyList<CrashClient> clients)
{
    private const int MaxListPages = 1000;

    public List<string> Problems { get; } = [];

    /// <summary>Requests cut off by a kill that the restarted server shows applied / not applied.</summary>
    public int Applied { get; private set; }

    public int NotApplied { get; private set; }

    public async Task CheckAsync(HttpClient http)
    {
        foreach (var client in clients)
        {
            await SettleInFlightAsync(client, http);
            await CheckCustomersAsync(client, http);
        }
        await CheckNoOtherCustomersAsync(http);
        await CheckEventsAsync();
    }

    /// <summary>Decides, from what the server now shows, whether the request the kill cut off was applied: wholly or not at all.</summary>
    private async Task SettleInFlightAsync(CrashClient client, HttpClient http)
    {
        var request = client.InFlight;
        client.InFlight = null;
        switch (request)
        {
            case CreateRequest create:
                var found = await FindByUserIdAsync(http, create.UserId);
                if (found.Count > 1)
                {
                    Problems.Add($"{request} was cut off by the kill and now {found.Count} customers have its userId: {string.Join(", ", found)}");
                }
                else if (found.Count == 1)
                {
                    var raw = await GetAsync(http, found[0], client);
                    if (raw is not null && !CustomerModel.Matches(raw, create.Expected))
                    {
                        Problems.Add($"HALF APPLIED: {request} was cut off by the kill; customer {found[0]} reads {raw}, not {CustomerModel.Canonical(create.Expected)}");
                    }
                    client.Live[found[0]] = raw ?? "";
                    Applied++;
                }
                else
                {
                    NotApplied++;
                }
                break;
            case UpdateRequest update:
                await SettleUpdateAsync(client, http, update);
                break;
            case DeleteRequest delete:
                var (status, body) = await http.CallAsync(HttpMethod.Get, $"customers/{delete.Id}");
                if (status == HttpStatusCode.NotFound)
                {
                    client.Live.Remove(delete.Id);
                    client.DeletedSinceCheck.Add(delete.Id);
                    Applied++;
                }
                else if (status == HttpStatusCode.OK && body == client.Live[delete.Id])
                {
                    NotApplied++;
                }
                else
                {
                    Problems.Add($"{request} was cut off by the kill; the customer now answers {(int)status} {body}, neither 404 nor {client.Live[delete.Id]}");
                }
                break;
            case EventRequest write:
                client.UncertainEvents[write.Name] = write.CustomerId;
                break;
        }
    }

    private async Task SettleUpdateAsync(CrashClient client, HttpClient http, UpdateRequest update)
    {
        var applied = new List<long>();
        var notApplied = new List<long>();
        foreach (var customer in update.Customers)
        {
            if (await GetAsync(http, customer.Id, client) is not { } raw)
            {
                continue;
            }
            var asAcknowledged = raw == client.Live[customer.Id];
            var asRequested = CustomerModel.Matches(raw, customer.State);
            if (asRequested && !asAcknowledged)
            {
                applied.Add(customer.Id);
                client.Live[customer.Id] = raw;
            }
            else if (asAcknowledged && !asRequested)
            {
                notApplied.Add(customer.Id);
            }
            else if (!asAcknowledged)
            {
                Problems.Add($"{update} was cut off by the kill; customer {customer.Id} reads {raw}: neither as acknowledged, " +
                             $"{client.Live[customer.Id]}, nor as requested, {CustomerModel.Canonical(customer.State)}");
            }
        }
        if (applied.Count > 0 && notApplied.Count > 0)
        {
            Problems.Add($"HALF APPLIED: {update} was cut off by the kill; customers {string.Join(",", applied)} show it, {string.Join(",", notApplied)} do not");
        }
        if (applied.Count > 0)
        {
            Applied++;
        }
        else
        {
            NotApplied++;
        }
    }

    /// <summary>Every live customer reads byte for byte as last acknowledged; every deleted one answers 404.</summary>
    private async Task CheckCustomersAsync(CrashClient client, HttpClient http)
    {
        foreach (var (id, acknowledged) in client.Live)
        {
            var (status, body) = await http.CallAsync(HttpMethod.Get, $"customers/{id}");
            if (status != HttpStatusCode.OK || body != acknowledged)
            {
                Problems.Add($"LOST: customer {id} was acknowledged as {acknowledged}; after the restart it answers {(int)status} {body}");
            }
        }
        foreach (var id in client.DeletedSinceCheck)
        {
            var (status, body) = await http.CallAsync(HttpMethod.Get, $"customers/{id}");
            if (status != HttpStatusCode.NotFound)
            {
                Problems.Add($"LOST DELETE: customer {id} was deleted; after the restart it answers {(int)status} {body}");
            }
        }
        client.DeletedSinceCheck.Clear();
    }

    /// <summary>The account lists exactly the customers the clients own: none came back, none came from a request that failed.</summary>
    private async Task CheckNoOtherCustomersAsync(HttpClient http)
    {
        var listed = new HashSet<long>();
        for (var page = 0; page < MaxListPages; page++)
        {
            var body = await http.GetOkAsync($"customers?limit=100&offset={page * 100}");
            using var document = JsonDocument.Parse(body);
            var data = document.RootElement.GetProperty("data");
            listed.UnionWith(data.EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
            if (data.GetArrayLength() < 100)
            {
                break;
            }
        }
        var owned = clients.SelectMany(c => c.Live.Keys).ToHashSet();
        if (listed.Except(owned).ToList() is { Count: > 0 } unknown)
        {
            Problems.Add($"customers {string.Join(",", unknown)} exist, but no request that made them was acknowledged or cut off");
        }
        if (owned.Except(listed).ToList() is { Count: > 0 } missing)
        {
            Problems.Add($"LOST: customers {string.Join(",", missing)} are missing from the list");
        }
    }

    private static async Task<List<long>> FindByUserIdAsync(HttpClient http, string userId)
    {
        var (status, body) = await http.CallAsync(HttpMethod.Post, "customers/search",
            $$"""{"filter":[{"field":"customers.userId","operator":"=","value":"{{userId}}"}]}""");
        Assert.True(status == HttpStatusCode.OK, $"search answered {(int)status}: {body}");
        using var document = JsonDocument.Parse(body);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64())];
    }

    private async Task<string?> GetAsync(HttpClient http, long id, CrashClient client)
    {
        var (status, body) = await http.CallAsync(HttpMethod.Get, $"customers/{id}");
        if (status == HttpStatusCode.OK)
        {
            return body;
        }
        Problems.Add($"customer {id} of client {client.Index} answers {(int)status} {body} after the restart");
        return null;
    }
}
