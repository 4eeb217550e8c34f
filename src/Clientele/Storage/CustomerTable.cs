using System.Collections.Concurrent;
using System.Data.Common;
using Clientele.Customers;

namespace Clientele.Storage;

/// <summary>
/// One column of the <c>customers</c> table. <paramref name="Set"/> is null for the derived search copies,
/// which are written but never read back; <paramref name="Placeholder"/> lets a provider cast a parameter.
/// </summary>
internal sealed record CustomerColumn(string Name, Func<CustomerRecord, object?> Get, Action<CustomerRecord, DbDataReader, int>? Set, string? Placeholder = null)
{
    public string Parameter => "@" + Name;

    public string Value => Placeholder ?? Parameter;
}

/// <summary>
/// The mapping between <see cref="CustomerRecord"/> and the <c>customers</c> table, written once for select,
/// insert and update; each provider adds the derived columns its search needs.
/// </summary>
internal sealed class CustomerTable
{
    private readonly CustomerColumn[] _written;
    private readonly CustomerColumn[] _read;
    private readonly ConcurrentDictionary<ulong, string> _updates = new();

    public CustomerTable(IEnumerable<CustomerColumn> derived)
    {
        _written = [.. Stored, .. derived];
        _read = [.. _written.Where(c => c.Set is not null)];
        if (_written.Length > 64)
        {
            throw new InvalidOperationException("A column set must fit in the 64 bits of a changed-column mask.");
        }
        Insert = $"INSERT INTO customers (account_id, {string.Join(", ", _written.Select(c => c.Name))}) " +
                 $"VALUES (@account_id, {string.Join(", ", _written.Select(c => c.Value))}) RETURNING id";
        Update = $"UPDATE customers SET {string.Join(", ", _written.Select(c => $"{c.Name} = {c.Value}"))} WHERE id = @id";
    }

    /// <summary>Binds every written column; the caller adds <c>@account_id</c> or <c>@id</c>.</summary>
    public string Insert { get; }

    public string Update { get; }

    /// <summary>Every column an insert or update writes, in <see cref="Insert"/>'s order.</summary>
    public IReadOnlyList<CustomerColumn> Written => _written;

    /// <summary><c>c.id, c.name, …</c>: the select list <see cref="Read"/> expects.</summary>
    public string SelectList(string alias) => $"{alias}.id, " + string.Join(", ", _read.Select(c => $"{alias}.{c.Name}"));

    public void Bind(DbCommand command, CustomerRecord record) => Bind(command.Parameters, command.CreateParameter, Snapshot(record), ulong.MaxValue);

    /// <summary>The same for one statement of a batch sent in one round trip.</summary>
    public void Bind(DbBatchCommand command, CustomerRecord record) => Bind(command.Parameters, command.CreateParameter, Snapshot(record), ulong.MaxValue);

    /// <summary>The written columns' values, taken before and after an edit so <see cref="Changes"/> can tell what it changed.</summary>
    public object?[] Snapshot(CustomerRecord record) => Array.ConvertAll(_written, c => c.Get(record));

    /// <summary>
    /// The columns whose value differs between the two snapshots, one bit each; 0 when none does. Updating only
    /// those spares every index and trigger on the others: a PATCH of one field no longer rewrites the entries of
    /// every index on the table.
    /// </summary>
    public ulong Changes(object?[] before, object?[] after)
    {
        var changed = 0UL;
        for (var i = 0; i < _written.Length; i++)
        {
            if (!Equals(before[i], after[i]))
            {
                changed |= 1UL << i;
            }
        }
        return changed;
    }

    /// <summary>The UPDATE of the <paramref name="changed"/> columns (see <see cref="Changes"/>); bind with <see cref="BindChanges"/> and <c>@id</c>.</summary>
    public string UpdateOf(ulong changed) => _updates.GetOrAdd(changed, mask =>
        $"UPDATE customers SET {string.Join(", ", _written.Where((_, i) => (mask & (1UL << i)) != 0).Select(c => $"{c.Name} = {c.Value}"))} WHERE id = @id");

    /// <summary>Binds the <paramref name="changed"/> columns from the <paramref name="after"/> snapshot, computed once for <see cref="Changes"/>.</summary>
    public void BindChanges(DbCommand command, object?[] after, ulong changed) => Bind(command.Parameters, command.CreateParameter, after, changed);

    private void Bind(DbParameterCollection parameters, Func<DbParameter> create, object?[] values, ulong columns)
    {
        for (var i = 0; i < _written.Length; i++)
        {
            if ((columns & (1UL << i)) == 0)
            {
                continue;
            }
            var parameter = create();
            parameter.ParameterName = _written[i].Parameter;
            parameter.Value = values[i] ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    public CustomerRecord Read(DbDataReader reader)
    {
        var record = new CustomerRecord { Id = reader.GetInt64(0) };
        for (var i = 0; i < _read.Length; i++)
        {
            _read[i].Set!(record, reader, i + 1);
        }
        return record;
    }

    public static CustomerColumn Folded(string name, Func<CustomerRecord, string?> get) => new(name, r => CaseFolding.Fold(get(r)), null);

    private static CustomerColumn Text(string name, Func<CustomerRecord, string?> get, Action<CustomerRecord, string?> set) =>
        new(name, get, (r, reader, i) => set(r, reader.IsDBNull(i) ? null : reader.GetString(i)));

    private static CustomerColumn Seconds(string name, Func<CustomerRecord, long?> get, Action<CustomerRecord, long?> set) =>
        new(name, r => get(r), (r, reader, i) => set(r, reader.IsDBNull(i) ? null : reader.GetInt64(i)));

    /// <summary>SQLite keeps booleans as 0/1 integers, PostgreSQL as booleans; <see cref="Convert.ToBoolean(object)"/> reads both.</summary>
    private static CustomerColumn Flag(string name, Func<CustomerRecord, bool> get, Action<CustomerRecord, bool> set) =>
        new(name, r => get(r), (r, reader, i) => set(r, Convert.ToBoolean(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));

    private static readonly CustomerColumn[] Stored =
    [
        Text("name", r => r.Name, (r, v) => r.Name = v),
        Text("email", r => r.Email, (r, v) => r.Email = v),
        Text("user_id", r => r.UserId, (r, v) => r.UserId = v),
        Text("company", r => r.Company, (r, v) => r.Company = v),
        Text("phone", r => r.Phone, (r, v) => r.Phone = v),
        Seconds("first_seen", r => r.FirstSeen, (r, v) => r.FirstSeen = v),
        Seconds("last_seen", r => r.LastSeen, (r, v) => r.LastSeen = v),
        Text("region_code", r => r.RegionCode, (r, v) => r.RegionCode = v),
        Text("country_code", r => r.CountryCode, (r, v) => r.CountryCode = v),
        Text("city", r => r.City, (r, v) => r.City = v),
        Flag("unsubscribed", r => r.Unsubscribed, (r, v) => r.Unsubscribed = v),
        Flag("blocked", r => r.Blocked, (r, v) => r.Blocked = v),
        Text("source", r => r.Source, (r, v) => r.Source = v),
        Text("referer", r => r.Referer, (r, v) => r.Referer = v),
        Text("last_page", r => r.LastPage, (r, v) => r.LastPage = v),
        Text("locale", r => r.Locale, (r, v) => r.Locale = v),
        Text("created_from", r => r.CreatedFrom, (r, v) => r.CreatedFrom = v),
        Text("integration_id", r => r.IntegrationId, (r, v) => r.IntegrationId = v),
        Text("notes", r => r.Notes, (r, v) => r.Notes = v),
        Text("telegram_id", r => r.TelegramId, (r, v) => r.TelegramId = v),
        Text("facebook_id", r => r.FacebookId, (r, v) => r.FacebookId = v),
        Text("instagram_id", r => r.InstagramId, (r, v) => r.InstagramId = v),
        Text("viber_id", r => r.ViberId, (r, v) => r.ViberId = v),
        Text("whatsapp_id", r => r.WhatsappId, (r, v) => r.WhatsappId = v),
        new("custom_data", r => CustomDataJson.Serialize(r.CustomData), (r, reader, i) => r.CustomData = CustomDataJson.Parse(reader.GetString(i))),
    ];

    /// <summary>The column behind each wire field, the same in every provider's schema.</summary>
    public static string Of(CustomerField field) => field switch
    {
        CustomerField.Id => "id",
        CustomerField.Name => "name",
        CustomerField.Email => "email",
        CustomerField.UserId => "user_id",
        CustomerField.Company => "company",
        CustomerField.Phone => "phone",
        CustomerField.FirstSeen => "first_seen",
        CustomerField.LastSeen => "last_seen",
        CustomerField.CountryCode => "country_code",
        CustomerField.City => "city",
        CustomerField.RegionCode => "region_code",
        CustomerField.Locale => "locale",
        CustomerField.Source => "source",
        CustomerField.CreatedFrom => "created_from",
        CustomerField.IntegrationId => "integration_id",
        CustomerField.TelegramId => "telegram_id",
        CustomerField.FacebookId => "facebook_id",
        CustomerField.InstagramId => "instagram_id",
        CustomerField.ViberId => "viber_id",
        CustomerField.WhatsappId => "whatsapp_id",
        CustomerField.Unsubscribed => "unsubscribed",
        CustomerField.Blocked => "blocked",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
