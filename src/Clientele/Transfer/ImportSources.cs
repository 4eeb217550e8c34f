using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Clientele.Customers;
using Clientele.Errors;
using Clientele.Json;
using CsvHelper;
using CsvHelper.Configuration;

namespace Clientele.Transfer;

/// <summary>One line of an import file: the customer it describes, or why it cannot be imported.</summary>
public sealed record ImportLine(long LineNumber, CustomerEdit? Edit, ErrorEnvelope? Error);

/// <summary>
/// Streams an import file one customer at a time. Every line goes through the same validation as
/// <c>POST /v1/customers</c>; fields a line leaves out are left alone (a new customer has them empty,
/// an upserted one keeps them).
/// </summary>
public static class ImportSources
{
    /// <summary>NDJSON: one customer object per line, in the API's shape (an export file imports as it is).</summary>
    public static async IAsyncEnumerable<ImportLine> ReadNdjsonAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            number++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Parse(number, line);
            }
        }
    }

    /// <summary>
    /// CSV with a header row naming the fields (<c>name,email,userId,…</c>). <c>tags</c> holds names separated by
    /// <c>;</c>, <c>customData</c> a JSON object, <c>customData.NAME</c> one property; an empty cell is left out. One
    /// leading <c>'</c> is taken off every cell, the export's escape against formula injection (<see cref="CsvFormulas"/>).
    /// </summary>
    public static async IAsyncEnumerable<ImportLine> ReadCsvAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, new CsvConfiguration(System.Globalization.CultureInfo.InvariantCulture) { DetectDelimiter = false });
        if (!await csv.ReadAsync() || !csv.ReadHeader())
        {
            yield break;
        }
        var header = csv.HeaderRecord ?? [];
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return FromRow(csv.Parser.RawRow, header, csv.Parser.Record ?? []);
        }
    }

    private static ImportLine FromRow(long number, string[] header, string[] cells)
    {
        try
        {
            return Parse(number, RowToJson(header, cells));
        }
        catch (JsonException e)
        {
            return new ImportLine(number, null, ErrorEnvelope.Of("customData", "This value is not a JSON object: " + e.Message));
        }
    }

    private static ImportLine Parse(long number, string json)
    {
        var (document, error) = RequestJson.Parse(System.Text.Encoding.UTF8.GetBytes(json), "The line");
        if (document is null)
        {
            return new ImportLine(number, null, error);
        }
        using (document)
        {
            var (edit, invalid) = CustomerEdit.FromBody(document.RootElement, replace: false);
            return new ImportLine(number, edit, invalid);
        }
    }

    private static string RowToJson(string[] header, string[] cells)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var customData = new List<(string Property, string Value)>();
            for (var i = 0; i < header.Length && i < cells.Length; i++)
            {
                var (column, cell) = (header[i].Trim(), CsvFormulas.Unescape(cells[i]));
                if (cell.Length == 0)
                {
                    continue;
                }
                switch (column)
                {
                    case "tags":
                        writer.WriteStartArray("tags");
                        foreach (var name in cell.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            writer.WriteStartObject();
                            writer.WriteString("name", name);
                            writer.WriteEndObject();
                        }
                        writer.WriteEndArray();
                        break;
                    case "customData":
                        using (var document = JsonDocument.Parse(cell))
                        {
                            writer.WritePropertyName("customData");
                            document.RootElement.WriteTo(writer);
                        }
                        break;
                    case "unsubscribed" or "blocked" when !cell.Contains('\0', StringComparison.Ordinal) && bool.TryParse(cell, out var flag):
                        writer.WriteBoolean(column, flag);
                        break;
                    case var name when name.StartsWith("customData.", StringComparison.Ordinal):
                        customData.Add((name["customData.".Length..], cell));
                        break;
                    default:
                        writer.WriteString(column, cell);
                        break;
                }
            }
            if (customData.Count > 0)
            {
                writer.WriteStartObject("customData");
                foreach (var (property, value) in customData)
                {
                    writer.WriteString(property, value);
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
