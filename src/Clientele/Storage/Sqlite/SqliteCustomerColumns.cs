using Clientele.Customers;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>The mapping between <see cref="CustomerRecord"/> and the <c>customers</c> table, once for select, insert and update.</summary>
internal static class SqliteCustomerColumns
{
    /// <summary>A column; <paramref name="Set"/> is null for the derived search copies, which are written but never read back.</summary>
    private sealed record Column(string Name, Func<CustomerRecord, object?> Get, Action<CustomerRecord, SqliteDataReader, int>? Set);

    private static Column Folded(string name, Func<CustomerRecord, string?> get) => new(name, r => CaseFolding.Fold(get(r)), null);

    private static Column Text(string name, Func<CustomerRecord, string?> get, Action<CustomerRecord, string?> set) =>
        new(name, get, (r, reader, i) => set(r, reader.IsDBNull(i) ? null : reader.GetString(i)));

    private static Column Seconds(string name, Func<CustomerRecord, long?> get, Action<CustomerRecord, long?> set) =>
        new(name, r => get(r), (r, reader, i) => set(r, reader.IsDBNull(i) ? null : reader.GetInt64(i)));

    private static Column Flag(string name, Func<CustomerRecord, bool> get, Action<CustomerRecord, bool> set) =>
        new(name, r => get(r), (r, reader, i) => set(r, reader.GetInt64(i) != 0));

    private static readonly Column[] Writable =
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
        Folded("name_ci", r => r.Name),
        Folded("email_ci", r => r.Email),
        Folded("company_ci", r => r.Company),
        Folded("user_id_ci", r => r.UserId),
        Folded("phone_ci", r => r.Phone),
    ];

    private static readonly Column[] Readable = [.. Writable.Where(c => c.Set is not null)];

    /// <summary><c>id, name, email, …</c>: the select list <see cref="Read"/> expects, prefixed with a table alias.</summary>
    public static string SelectList(string alias) => $"{alias}.id, " + string.Join(", ", Readable.Select(c => $"{alias}.{c.Name}"));

    public static readonly string Insert =
        $"INSERT INTO customers (account_id, {string.Join(", ", Writable.Select(c => c.Name))}) " +
        $"VALUES (@account_id, {string.Join(", ", Writable.Select(c => "@" + c.Name))}) RETURNING id";

    public static readonly string Update =
        $"UPDATE customers SET {string.Join(", ", Writable.Select(c => $"{c.Name} = @{c.Name}"))} WHERE id = @id";

    public static void Bind(SqliteCommand command, CustomerRecord record)
    {
        foreach (var column in Writable)
        {
            command.Parameters.AddWithValue("@" + column.Name, column.Get(record) ?? DBNull.Value);
        }
    }

    public static CustomerRecord Read(SqliteDataReader reader)
    {
        var record = new CustomerRecord { Id = reader.GetInt64(0) };
        for (var i = 0; i < Readable.Length; i++)
        {
            Readable[i].Set!(record, reader, i + 1);
        }
        return record;
    }

    /// <summary>The column behind each wire field. Text sorts by its bytes (BINARY), as PostgreSQL's "C" collation does.</summary>
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
