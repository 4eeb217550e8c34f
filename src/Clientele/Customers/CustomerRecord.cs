namespace Clientele.Customers;

/// <summary>
/// A customer as the storage providers load and save it. Handlers never serialise it: the wire shape is
/// <see cref="CustomerResponse"/>, mapped by hand, so storage columns cannot leak onto the wire.
/// </summary>
public sealed class CustomerRecord
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? UserId { get; set; }
    public string? Company { get; set; }
    public string? Phone { get; set; }
    public long? FirstSeen { get; set; }
    public long? LastSeen { get; set; }
    public string? RegionCode { get; set; }
    public string? CountryCode { get; set; }
    public string? City { get; set; }
    public bool Unsubscribed { get; set; }
    public bool Blocked { get; set; }
    public string? Source { get; set; }
    public string? Referer { get; set; }
    public string? LastPage { get; set; }
    public string? Locale { get; set; }
    public string? CreatedFrom { get; set; }
    public string? IntegrationId { get; set; }
    public string? Notes { get; set; }
    public string? TelegramId { get; set; }
    public string? FacebookId { get; set; }
    public string? InstagramId { get; set; }
    public string? ViberId { get; set; }
    public string? WhatsappId { get; set; }

    /// <summary>In the order they were added. A colour is the account's once stored; on the way in it is the colour asked for, if any.</summary>
    public List<TagRecord> Tags { get; set; } = [];

    /// <summary>Insertion-ordered properties; each value is the raw JSON scalar as the client sent it, so numbers stay exact.</summary>
    public List<CustomDataEntry> CustomData { get; set; } = [];

    /// <summary>What a PUT starts from: every writable field null, false, empty.</summary>
    public CustomerRecord ClearedCopy() => new() { Id = Id };

    /// <summary>An independent copy, for applying an edit that may be refused without touching this one.</summary>
    public CustomerRecord Copy()
    {
        var copy = (CustomerRecord)MemberwiseClone();
        copy.Tags = [.. Tags];
        copy.CustomData = [.. CustomData];
        return copy;
    }
}

public sealed record TagRecord(string Name, string? Color);

public sealed record CustomDataEntry(string Property, string RawJson);
