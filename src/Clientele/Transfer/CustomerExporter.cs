using System.Globalization;
using System.Text.Json;
using Clientele.Customers;
using Clientele.Json;
using Clientele.Storage;
using CsvHelper;

namespace Clientele.Transfer;

public enum TransferFormat
{
    Ndjson,
    Csv,
}

/// <summary>
/// Writes an account's customers page by page in id order, so memory stays flat however many there are.
/// NDJSON lines are the API's customer objects plus the messenger ids the API never outputs, so an export
/// imports back whole; CSV has one column per field, <c>tags</c> as names joined by <c>;</c> and <c>customData</c> as JSON, every cell
/// escaped against formula injection (<see cref="CsvFormulas"/>).
/// </summary>
public sealed class CustomerExporter(ICustomerStore store)
{
    public const int PageSize = 1000;

    private static readonly string[] CsvColumns =
    [
        "id", "name", "email", "userId", "company", "phone", "firstSeen", "lastSeen", "regionCode", "countryCode", "city",
        "unsubscribed", "blocked", "source", "referer", "lastPage", "locale", "createdFrom", "integrationId", "notes",
        "telegramId", "facebookId", "instagramId", "viberId", "whatsappId", "tags", "customData",
    ];

    /// <summary>Returns how many customers were written.</summary>
    public async Task<long> ExportAsync(long accountId, TransferFormat format, Stream output, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(output, leaveOpen: true) { NewLine = "\n" };
        await using var csv = format == TransferFormat.Csv ? new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true) : null;
        if (csv is not null)
        {
            foreach (var column in CsvColumns)
            {
                csv.WriteField(column);
            }
            await csv.NextRecordAsync();
        }

        long written = 0;
        var after = 0L;
        while (true)
        {
            var page = await store.ReadPageAsync(accountId, after, PageSize, cancellationToken);
            foreach (var customer in page)
            {
                if (csv is not null)
                {
                    WriteCsv(csv, customer);
                    await csv.NextRecordAsync();
                }
                else
                {
                    await text.WriteLineAsync(ToNdjson(customer));
                }
            }
            written += page.Count;
            if (page.Count < PageSize)
            {
                return written;
            }
            after = page[^1].Id;
        }
    }

    private static string ToNdjson(CustomerRecord customer)
    {
        var node = JsonSerializer.SerializeToNode(CustomerResponse.From(customer), AppJsonContext.Wire.CustomerResponse)!.AsObject();
        foreach (var (name, value) in Messengers(customer))
        {
            if (value is not null)
            {
                node[name] = value;
            }
        }
        return node.ToJsonString(AppJsonContext.Wire.Options);
    }

    private static void WriteCsv(CsvWriter csv, CustomerRecord c)
    {
        string? Seconds(long? value) => value?.ToString(CultureInfo.InvariantCulture);
        foreach (var field in new[]
                 {
                     c.Id.ToString(CultureInfo.InvariantCulture), c.Name, c.Email, c.UserId, c.Company, c.Phone, Seconds(c.FirstSeen), Seconds(c.LastSeen),
                     c.RegionCode, c.CountryCode, c.City, c.Unsubscribed ? "true" : "false", c.Blocked ? "true" : "false", c.Source, c.Referer,
                     c.LastPage, c.Locale, c.CreatedFrom, c.IntegrationId, c.Notes, c.TelegramId, c.FacebookId, c.InstagramId, c.ViberId, c.WhatsappId,
                     string.Join(';', c.Tags.Select(t => t.Name)), CustomDataJson.Serialize(c.CustomData),
                 })
        {
            csv.WriteField(CsvFormulas.Escape(field));
        }
    }

    private static (string Name, string? Value)[] Messengers(CustomerRecord c) =>
    [
        ("telegramId", c.TelegramId), ("facebookId", c.FacebookId), ("instagramId", c.InstagramId), ("viberId", c.ViberId), ("whatsappId", c.WhatsappId),
    ];
}
