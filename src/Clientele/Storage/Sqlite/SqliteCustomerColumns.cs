using Clientele.Customers;
using Microsoft.Data.Sqlite;

namespace Clientele.Storage.Sqlite;

/// <summary>The mapping between <see cref="CustomerRecord"/> and the <c>customers</c> table, once for select, insert and update.</summary>
internal static class SqliteCustomerColumns
{
    private sealed record Column(string Name, Func<CustomerRecord, object?> Get, Action<CustomerRecord, SqliteDataReader, int> Set);

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
    ];

    /// <summary><c>id, name, email, …</c>: the select list <see cref="Read"/> expects, prefixed with a table alias.</summary>
    public static string SelectList(string alias) => $"{alias}.id, " + string.Join(", ", Writable.Select(c => $"{alias}.{c.Name}"));

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
        for (var i = 0; i < Writable.Length; i++)
        {
            Writable[i].Set(record, reader, i + 1);
        }
        return record;
    }

    /// <summary>The column behind each sortable wire field. Text sorts by its bytes (BINARY), as PostgreSQL's "C" collation does.</summary>
    public static string SortColumn(CustomerSortField field) => field switch
    {
        CustomerSortField.Id => "id",
        CustomerSortField.Name => "name",
        CustomerSortField.Email => "email",
        CustomerSortField.UserId => "user_id",
        CustomerSortField.Company => "company",
        CustomerSortField.Phone => "phone",
        CustomerSortField.FirstSeen => "first_seen",
        CustomerSortField.LastSeen => "last_seen",
        CustomerSortField.CountryCode => "country_code",
        CustomerSortField.City => "city",
        CustomerSortField.RegionCode => "region_code",
        CustomerSortField.Locale => "locale",
        CustomerSortField.Source => "source",
        CustomerSortField.CreatedFrom => "created_from",
        CustomerSortField.IntegrationId => "integration_id",
        CustomerSortField.TelegramId => "telegram_id",
        CustomerSortField.FacebookId => "facebook_id",
        CustomerSortField.InstagramId => "instagram_id",
        CustomerSortField.ViberId => "viber_id",
        CustomerSortField.WhatsappId => "whatsapp_id",
        CustomerSortField.Unsubscribed => "unsubscribed",
        CustomerSortField.Blocked => "blocked",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
