using Clientele.Customers;
using Npgsql;

namespace Clientele.Storage.Postgres;

/// <summary>
/// A customer's tag links, rewritten in order. Tags are found or created without locking their rows: an upsert
/// that updates would hold each tag's row until commit, and batches touching the same tags in different orders
/// would deadlock.
/// </summary>
internal static class PostgresTagLinks
{
    /// <summary>
    /// Links the customer to those of the named tags the account has, at their places in the list, and drops its
    /// other links; yields the tags it found. One round trip when every tag exists, the usual case.
    /// </summary>
    private const string Link =
        "WITH found AS (SELECT w.name, w.position, t.id, t.color FROM unnest(@names) WITH ORDINALITY AS w (name, position) " +
        "JOIN tags t ON t.account_id = @account_id AND t.name = w.name), " +
        "gone AS (DELETE FROM customer_tags WHERE customer_id = @customer_id AND tag_id NOT IN (SELECT id FROM found)), " +
        "linked AS (INSERT INTO customer_tags (customer_id, tag_id, position) SELECT @customer_id, id, position - 1 FROM found " +
        "ON CONFLICT (customer_id, tag_id) DO UPDATE SET position = excluded.position) " +
        "SELECT name, color FROM found";

    /// <summary>
    /// Creates the tags new to the account with the colour asked for, in name order; the unique (account, name)
    /// index makes each exist exactly once however many nodes create it at once.
    /// </summary>
    private const string Create =
        "INSERT INTO tags (account_id, name, color) SELECT @account_id, name, color FROM unnest(@names, @colors) AS n (name, color) " +
        "ORDER BY name ON CONFLICT (account_id, name) DO NOTHING";

    /// <summary>Links the customer to these tags, in this order, and drops its other links.</summary>
    public static NpgsqlBatchCommand Relink(long customerId, long[] tagIds)
    {
        var command = new NpgsqlBatchCommand(
            "WITH gone AS (DELETE FROM customer_tags WHERE customer_id = @customer_id AND tag_id <> ALL(@tag_ids)) " +
            "INSERT INTO customer_tags (customer_id, tag_id, position) SELECT @customer_id, tag_id, position - 1 " +
            "FROM unnest(@tag_ids) WITH ORDINALITY AS t (tag_id, position) " +
            "ON CONFLICT (customer_id, tag_id) DO UPDATE SET position = excluded.position");
        command.Parameters.AddWithValue("customer_id", customerId);
        command.Parameters.AddWithValue("tag_ids", tagIds);
        return command;
    }

    /// <summary>Stores the record's tags as its links and gives each the account's colour.</summary>
    public static async Task SaveAsync(NpgsqlConnection connection, long accountId, CustomerRecord record, CancellationToken cancellationToken)
    {
        var names = record.Tags.Select(t => t.Name).ToArray();
        var colors = await LinkAsync(connection, accountId, record.Id, names, cancellationToken);
        if (colors.Count < names.Length)
        {
            await CreateAsync(connection, accountId, record.Tags.Where(t => !colors.ContainsKey(t.Name)), cancellationToken);
            // A statement of its own: it sees the tags that concurrent transactions committed while the insert
            // waited for them, which the insert's snapshot does not.
            colors = await LinkAsync(connection, accountId, record.Id, names, cancellationToken);
        }
        GiveAccountColours(record, name => colors[name]);
    }

    /// <summary>
    /// The account's tags these records name, created first where missing with the colour the first record naming
    /// each asked for (or the default).
    /// </summary>
    public static async Task<Dictionary<string, (long Id, string Color)>> ResolveAsync(
        NpgsqlConnection connection, long accountId, IEnumerable<TagRecord> asked, CancellationToken cancellationToken)
    {
        var first = asked.DistinctBy(t => t.Name, StringComparer.Ordinal).ToArray();
        if (first.Length == 0)
        {
            return [];
        }
        var tags = await FindAsync(connection, accountId, [.. first.Select(t => t.Name)], cancellationToken);
        if (tags.Count < first.Length)
        {
            var missing = first.Where(t => !tags.ContainsKey(t.Name)).ToArray();
            await CreateAsync(connection, accountId, missing, cancellationToken);
            // A statement of its own, for the same reason as in SaveAsync.
            foreach (var (name, tag) in await FindAsync(connection, accountId, [.. missing.Select(t => t.Name)], cancellationToken))
            {
                tags[name] = tag;
            }
        }
        return tags;
    }

    /// <summary>Replaces the colour each tag of the record was asked with by the account's colour for that name.</summary>
    public static void GiveAccountColours(CustomerRecord record, Func<string, string> colourOf)
    {
        for (var i = 0; i < record.Tags.Count; i++)
        {
            record.Tags[i] = record.Tags[i] with { Color = colourOf(record.Tags[i].Name) };
        }
    }

    private static async Task CreateAsync(NpgsqlConnection connection, long accountId, IEnumerable<TagRecord> missing, CancellationToken cancellationToken)
    {
        var tags = missing.ToArray();
        await using var create = new NpgsqlCommand(Create, connection);
        create.Parameters.AddWithValue("account_id", accountId);
        create.Parameters.AddWithValue("names", tags.Select(t => t.Name).ToArray());
        create.Parameters.AddWithValue("colors", tags.Select(t => t.Color ?? CustomerFields.DefaultTagColor).ToArray());
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, (long Id, string Color)>> FindAsync(
        NpgsqlConnection connection, long accountId, string[] names, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand("SELECT name, id, color FROM tags WHERE account_id = @account_id AND name = ANY(@names)", connection);
        find.Parameters.AddWithValue("account_id", accountId);
        find.Parameters.AddWithValue("names", names);
        var tags = new Dictionary<string, (long Id, string Color)>(names.Length, StringComparer.Ordinal);
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tags[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }
        return tags;
    }

    private static async Task<Dictionary<string, string>> LinkAsync(
        NpgsqlConnection connection, long accountId, long customerId, string[] names, CancellationToken cancellationToken)
    {
        await using var link = new NpgsqlCommand(Link, connection);
        link.Parameters.AddWithValue("names", names);
        link.Parameters.AddWithValue("account_id", accountId);
        link.Parameters.AddWithValue("customer_id", customerId);
        var colors = new Dictionary<string, string>(names.Length, StringComparer.Ordinal);
        await using var reader = await link.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            colors[reader.GetString(0)] = reader.GetString(1);
        }
        return colors;
    }
}
