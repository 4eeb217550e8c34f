using System.Text;
using System.Text.Json;
using Clientele.Customers;
using Clientele.Search;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Clientele.Storage.Sqlite;

public sealed class SqliteCustomerStore(SqliteDatabase database) : ICustomerStore
{
    private const int SqliteConstraintUnique = 2067;

    /// <summary>
    /// A customer's columns and, in the last one, its tags as a JSON array of <c>[name, color]</c> pairs in the
    /// customer's order: a customer or a page of them in one statement, not one more for the tags.
    /// </summary>
    private static readonly string SelectList =
        $"{SqliteCustomerColumns.Table.SelectList("c")}, " +
        "(SELECT json_group_array(json_array(name, color)) FROM (SELECT t.name, t.color FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id " +
        "WHERE ct.customer_id = c.id ORDER BY ct.position))";

    /// <summary>A search looks at its token this often: a few dozen rows of a scan, a tiny cost beside the rows' work.</summary>
    private const int ProgressSteps = 1000;

    private static readonly delegate_progress StopWhenCancelled = static token => ((CancellationToken)token).IsCancellationRequested ? 1 : 0;

    private static readonly string SelectById = $"SELECT {SelectList} FROM customers c WHERE c.id = @id AND c.account_id = @account_id";

    public async Task<CustomerRecord?> FindAsync(long accountId, long id, CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        return Load(lease.Connection, accountId, id);
    }

    public async Task<CustomerPage> SearchAsync(long accountId, CustomerSearch search, CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        var connection = lease.Connection;
        // One read transaction, so the page and the total come from the same snapshot. Deferred: a plain
        // BEGIN takes no lock until it reads, so it never waits for the writer (WAL readers don't).
        await using var transaction = connection.BeginTransaction(deferred: true);
        // Microsoft.Data.Sqlite never stops a running statement (SqliteCommand.Cancel does nothing, and a token is
        // only looked at before a command starts), so SQLite asks the token itself, every ProgressSteps VM steps.
        // Not sqlite3_interrupt from a token registration: an interrupt that lands between two statements (or
        // before the first) is a no-op, and the statement started next would run to its end.
        raw.sqlite3_progress_handler(connection.Handle, ProgressSteps, StopWhenCancelled, cancellationToken);
        try
        {
            return ReadPage(connection, transaction, accountId, search);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_INTERRUPT && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The search was stopped.", e, cancellationToken);
        }
        finally
        {
            // Off before the ROLLBACK and before the connection serves anyone else: a cancelled token must stop nothing more.
            raw.sqlite3_progress_handler(connection.Handle, 0, null, null);
        }
    }

    private static CustomerPage ReadPage(SqliteConnection connection, SqliteTransaction transaction, long accountId, CustomerSearch search)
    {
        var customers = new List<CustomerRecord>();
        using (var reader = Prepared(connection, transaction, command =>
               {
                   var sql = SqliteSearchSql.Page(command, accountId, search, SelectList);
                   command.Parameters.AddWithValue("@limit", search.Page.Limit);
                   command.Parameters.AddWithValue("@offset", search.Page.Offset);
                   return sql;
               }).ExecuteReader())
        {
            while (reader.Read())
            {
                customers.Add(ReadWithTags(reader));
            }
        }
        if (SearchSql.TotalFromPage(search.Page, customers.Count) is { } total)
        {
            return new CustomerPage(customers, total);
        }
        var count = Prepared(connection, transaction, command => SqliteSearchSql.Count(command, accountId, search));
        return new CustomerPage(customers, (long)count.ExecuteScalar()!);
    }

    /// <summary>
    /// The connection's prepared command for a statement made from the request's shape: <paramref name="build"/>
    /// writes the SQL and its parameters into a scratch command, and searches of the same shape share one compiled statement.
    /// </summary>
    private static SqliteCommand Prepared(SqliteConnection connection, SqliteTransaction transaction, Func<SqliteCommand, string> build)
    {
        using var scratch = new SqliteCommand();
        var sql = build(scratch);
        var command = connection.Prepared(sql, transaction);
        foreach (SqliteParameter parameter in scratch.Parameters)
        {
            command.Parameters.AddWithValue(parameter.ParameterName, parameter.Value);
        }
        return command;
    }

    public Task<WriteOutcome> CreateAsync(long accountId, CustomerEdit edit, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => Save(connection, accountId, new CustomerRecord(), edit, isNew: true, new TagIds()));

    public Task<WriteOutcome> UpdateAsync(long accountId, long id, CustomerEdit edit, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => Load(connection, accountId, id) is { } current
            ? Save(connection, accountId, current, edit, isNew: false, new TagIds())
            : new WorkResult<WriteOutcome>(WriteOutcome.NotFound, Keep: false));

    public Task<BatchOutcome> UpdateManyAsync(long accountId, IReadOnlyList<BatchEdit> edits, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            var customers = new List<CustomerRecord>(edits.Count);
            var knownTags = new TagIds();
            for (var i = 0; i < edits.Count; i++)
            {
                var outcome = Load(connection, accountId, edits[i].CustomerId) is { } current
                    ? Save(connection, accountId, current, edits[i].Edit, isNew: false, knownTags, codePrefix: $"[{i}].").Value
                    : WriteOutcome.NotFound;
                if (!outcome.Succeeded)
                {
                    // The writer rolls back this request's savepoint: the items already saved are undone.
                    return new WorkResult<BatchOutcome>(new BatchOutcome(outcome, []), Keep: false);
                }
                customers.Add(outcome.Customer!);
            }
            return new WorkResult<BatchOutcome>(new BatchOutcome(WriteOutcome.Ok, customers), Keep: true);
        });

    public Task<IReadOnlyList<WriteOutcome>> ImportAsync(long accountId, IReadOnlyList<CustomerEdit> edits, bool upsertByUserId, CancellationToken cancellationToken) =>
        database.WriteAloneAsync<IReadOnlyList<WriteOutcome>>(connection =>
        {
            var outcomes = new List<WriteOutcome>(edits.Count);
            var knownTags = new TagIds();
            foreach (var edit in edits)
            {
                // No savepoint per item: an item is refused either before anything is written (its edit) or by its
                // first statement (the userId clash), and SQLite undoes just that statement, not the transaction.
                var existing = upsertByUserId && edit.Apply(new CustomerRecord()).Result?.UserId is { } userId
                    ? LoadByUserId(connection, accountId, userId)
                    : null;
                outcomes.Add(Save(connection, accountId, existing ?? new CustomerRecord(), edit, isNew: existing is null, knownTags).Value);
            }
            return outcomes;
        });

    public async Task<IReadOnlyList<CustomerRecord>> ReadPageAsync(long accountId, long afterId, int limit, CancellationToken cancellationToken)
    {
        using var lease = await database.ReadAsync(cancellationToken);
        var command = lease.Connection.Prepared($"SELECT {SelectList} FROM customers c WHERE c.account_id = @account_id AND c.id > @after ORDER BY c.id LIMIT @limit");
        command.Parameters.AddWithValue("@account_id", accountId);
        command.Parameters.AddWithValue("@after", afterId);
        command.Parameters.AddWithValue("@limit", limit);
        var customers = new List<CustomerRecord>(limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            customers.Add(ReadWithTags(reader));
        }
        return customers;
    }

    private static CustomerRecord? LoadByUserId(SqliteConnection connection, long accountId, string userId)
    {
        var command = connection.Prepared("SELECT id FROM customers WHERE account_id = @account_id AND user_id = @user_id");
        command.Parameters.AddWithValue("@account_id", accountId);
        command.Parameters.AddWithValue("@user_id", userId);
        return command.ExecuteScalar() is long id ? Load(connection, accountId, id) : null;
    }

    public Task<bool> DeleteAsync(long accountId, long id, CancellationToken cancellationToken) =>
        database.WriteAsync(connection =>
        {
            // Tag links and events go with it (ON DELETE CASCADE); the account's tags stay.
            var command = connection.Prepared("DELETE FROM customers WHERE id = @id AND account_id = @account_id");
            command.Parameters.AddWithValue("@id", id);
            command.Parameters.AddWithValue("@account_id", accountId);
            var deleted = command.ExecuteNonQuery() > 0;
            return new WorkResult<bool>(deleted, deleted);
        });

    private static CustomerRecord? Load(SqliteConnection connection, long accountId, long id)
    {
        var command = connection.Prepared(SelectById);
        command.Parameters.AddWithValue("@id", id);
        command.Parameters.AddWithValue("@account_id", accountId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadWithTags(reader) : null;
    }

    /// <summary>A row of <see cref="SelectList"/>: the customer, then its tags from the JSON in the last column.</summary>
    private static CustomerRecord ReadWithTags(SqliteDataReader reader)
    {
        var record = SqliteCustomerColumns.Table.Read(reader);
        var tags = new Utf8JsonReader(Encoding.UTF8.GetBytes(reader.GetString(reader.FieldCount - 1)));
        tags.Read();
        while (tags.Read() && tags.TokenType == JsonTokenType.StartArray)
        {
            tags.Read();
            var name = tags.GetString()!;
            tags.Read();
            record.Tags.Add(new TagRecord(name, tags.GetString()));
            tags.Read();
        }
        return record;
    }

    /// <summary>Applies the edit to the loaded record and writes the columns and tag links it changed; runs on the writer.</summary>
    private static WorkResult<WriteOutcome> Save(
        SqliteConnection connection, long accountId, CustomerRecord current, CustomerEdit edit, bool isNew, TagIds knownTags, string codePrefix = "")
    {
        var table = SqliteCustomerColumns.Table;
        var tagsBefore = current.Tags.Select(t => t.Name).ToArray();
        var before = isNew ? null : table.Snapshot(current);
        var (record, errors) = edit.Apply(current, codePrefix);
        if (record is null)
        {
            return new(new WriteOutcome(WriteStatus.Invalid, Errors: errors), Keep: false);
        }
        try
        {
            if (before is null)
            {
                var insert = connection.Prepared(table.Insert);
                table.Bind(insert, record);
                insert.Parameters.AddWithValue("@account_id", accountId);
                record.Id = (long)insert.ExecuteScalar()!;
            }
            else if (table.Snapshot(record) is var after && table.Changes(before, after) is var changed and not 0)
            {
                var update = connection.Prepared(table.UpdateOf(changed));
                table.BindChanges(update, after, changed);
                update.Parameters.AddWithValue("@id", record.Id);
                update.ExecuteNonQuery();
            }
        }
        catch (SqliteException e) when (e.SqliteExtendedErrorCode == SqliteConstraintUnique)
        {
            // The only unique constraint on customers is (account_id, user_id).
            return new(WriteOutcome.DuplicateUserId, Keep: false);
        }
        if (isNew || !tagsBefore.SequenceEqual(record.Tags.Select(t => t.Name)))
        {
            SaveTags(connection, accountId, record, isNew, knownTags);
        }
        return new(new WriteOutcome(WriteStatus.Ok, record) { Created = isNew }, Keep: true);
    }

    /// <summary>
    /// Rewrites the customer's tag links in order. A name new to the account is created with the colour asked
    /// for (or the default); a known name keeps the account's colour, which is what the record then shows.
    /// </summary>
    private static void SaveTags(SqliteConnection connection, long accountId, CustomerRecord record, bool isNew, TagIds knownTags)
    {
        if (!isNew)
        {
            var clear = connection.Prepared("DELETE FROM customer_tags WHERE customer_id = @id");
            clear.Parameters.AddWithValue("@id", record.Id);
            clear.ExecuteNonQuery();
        }
        if (record.Tags.Count == 0)
        {
            return;
        }

        // Looked up first: most tags already exist, and an upsert would rewrite their row every time.
        var find = connection.Prepared("SELECT id, color FROM tags WHERE account_id = @account_id AND name = @name");
        find.Parameters.AddWithValue("@account_id", accountId);
        var findName = find.Parameters.Add("@name", SqliteType.Text);
        var create = connection.Prepared("INSERT INTO tags (account_id, name, color) VALUES (@account_id, @name, @color) RETURNING id, color");
        create.Parameters.AddWithValue("@account_id", accountId);
        var name = create.Parameters.Add("@name", SqliteType.Text);
        var color = create.Parameters.Add("@color", SqliteType.Text);

        var link = connection.Prepared("INSERT INTO customer_tags (customer_id, tag_id, position) VALUES (@customer_id, @tag_id, @position)");
        link.Parameters.AddWithValue("@customer_id", record.Id);
        var tagId = link.Parameters.Add("@tag_id", SqliteType.Integer);
        var position = link.Parameters.Add("@position", SqliteType.Integer);

        for (var i = 0; i < record.Tags.Count; i++)
        {
            if (!knownTags.TryGetValue(record.Tags[i].Name, out var tag))
            {
                findName.Value = name.Value = record.Tags[i].Name;
                color.Value = record.Tags[i].Color ?? CustomerFields.DefaultTagColor;
                using var reader = find.ExecuteReader();
                using var created = reader.Read() ? null : create.ExecuteReader();
                var row = created ?? reader;
                if (created is not null)
                {
                    created.Read();
                }
                tag = (row.GetInt64(0), row.GetString(1));
                knownTags[record.Tags[i].Name] = tag;
            }
            tagId.Value = tag.Id;
            record.Tags[i] = record.Tags[i] with { Color = tag.Color };
            position.Value = i;
            link.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The account's tags by name, as found or created by one unit of work (a request, a batch, an import batch).
    /// It lives no longer than that work's transaction, so a rollback never leaves an id here that is not stored.
    /// </summary>
    private sealed class TagIds() : Dictionary<string, (long Id, string Color)>(StringComparer.Ordinal);
}
