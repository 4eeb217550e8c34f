using Clientele.Customers;

namespace Clientele.Storage.Postgres;

/// <summary>
/// PostgreSQL's <c>customers</c> table: the shared columns plus a folded copy of every searchable text field
/// and of <c>customData</c>, because PostgreSQL cannot call the application's case folding.
/// </summary>
internal static class PostgresCustomerColumns
{
    public static readonly CustomerTable Table = new(
    [
        new CustomerColumn("custom_data_ci", r => CustomDataJson.SerializeFolded(r.CustomData), null, "@custom_data_ci::jsonb"),
        .. Enum.GetValues<CustomerField>()
            .Where(field => field.Kind() == CustomerFieldKind.Text)
            .Select(field => CustomerTable.Folded(CustomerTable.Of(field) + "_ci", FieldText(field))),
    ]);

    private static Func<CustomerRecord, string?> FieldText(CustomerField field) => field switch
    {
        CustomerField.Name => r => r.Name,
        CustomerField.Email => r => r.Email,
        CustomerField.UserId => r => r.UserId,
        CustomerField.Company => r => r.Company,
        CustomerField.Phone => r => r.Phone,
        CustomerField.CountryCode => r => r.CountryCode,
        CustomerField.City => r => r.City,
        CustomerField.RegionCode => r => r.RegionCode,
        CustomerField.Locale => r => r.Locale,
        CustomerField.Source => r => r.Source,
        CustomerField.CreatedFrom => r => r.CreatedFrom,
        CustomerField.IntegrationId => r => r.IntegrationId,
        CustomerField.TelegramId => r => r.TelegramId,
        CustomerField.FacebookId => r => r.FacebookId,
        CustomerField.InstagramId => r => r.InstagramId,
        CustomerField.ViberId => r => r.ViberId,
        CustomerField.WhatsappId => r => r.WhatsappId,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
