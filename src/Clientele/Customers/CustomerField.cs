namespace Clientele.Customers;

/// <summary>The scalar fields a list can be sorted and searched by, as named on the wire after <c>customers.</c>.</summary>
public enum CustomerField
{
    Id,
    Name,
    Email,
    UserId,
    Company,
    Phone,
    FirstSeen,
    LastSeen,
    CountryCode,
    City,
    RegionCode,
    Locale,
    Source,
    CreatedFrom,
    IntegrationId,
    TelegramId,
    FacebookId,
    InstagramId,
    ViberId,
    WhatsappId,
    Unsubscribed,
    Blocked,
}

/// <summary>How a field's values compare: as integers (ids), UNIX seconds, case-insensitive text, or booleans.</summary>
public enum CustomerFieldKind
{
    Identifier,
    Date,
    Text,
    Flag,
}

public static class CustomerFieldExtensions
{
    public static CustomerFieldKind Kind(this CustomerField field) => field switch
    {
        CustomerField.Id => CustomerFieldKind.Identifier,
        CustomerField.FirstSeen or CustomerField.LastSeen => CustomerFieldKind.Date,
        CustomerField.Unsubscribed or CustomerField.Blocked => CustomerFieldKind.Flag,
        _ => CustomerFieldKind.Text,
    };
}
