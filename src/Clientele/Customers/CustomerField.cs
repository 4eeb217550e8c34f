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
