using System.Globalization;

namespace Clientele.Tests.Infrastructure;

/// <summary>The event half of the checks: the API has no route to read events, so they are read from the database.</summary>
public sealed partial class CrashRecovery
{
    /// <summary>Each event row belongs to an existing customer and to a request that was acknowledged or cut off; no acknowledged one is missing.</summary>
    private async Task CheckEventsAsync()
    {
        var rows = (await DatabaseRows.QueryAsync(database,
                "SELECT e.name, e.customer_id, CASE WHEN EXISTS (SELECT 1 FROM customers c WHERE c.id = e.customer_id) THEN 1 ELSE 0 END FROM events e"))
            .ToDictionary(r => (string)r[0]!, r => (Customer: Convert.ToInt64(r[1], CultureInfo.InvariantCulture), CustomerExists: Convert.ToInt64(r[2], CultureInfo.InvariantCulture) == 1));
        foreach (var (name, row) in rows)
        {
            if (!row.CustomerExists)
            {
                Problems.Add($"HALF APPLIED: event {name} exists for customer {row.Customer}, which does not");
            }
            if (!clients.Any(c => c.Events.GetValueOrDefault(name) == row.Customer || c.UncertainEvents.GetValueOrDefault(name) == row.Customer))
            {
                Problems.Add($"event {name} of customer {row.Customer} exists, but no request that made it was acknowledged or cut off");
            }
        }
        foreach (var client in clients)
        {
            foreach (var (name, customer) in client.Events.ToList())
            {
                if (!client.Live.ContainsKey(customer))
                {
                    // Deleted with its customer; a row by that name would now be reported above.
                    client.Events.Remove(name);
                }
                else if (!rows.ContainsKey(name))
                {
                    Problems.Add($"LOST: event {name} of customer {customer} was acknowledged and is missing");
                }
            }
            foreach (var (name, customer) in client.UncertainEvents)
            {
                if (rows.ContainsKey(name) && client.Live.ContainsKey(customer))
                {
                    client.Events[name] = customer;
                    Applied++;
                }
                else
                {
                    NotApplied++;
                }
            }
            client.UncertainEvents.Clear();
        }
    }
}
