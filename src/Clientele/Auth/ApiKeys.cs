using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Clientele.Auth;

public static class ApiKeys
{
    /// <summary>256 bits from the CSPRNG, URL-safe, with a prefix that makes a leaked key easy to recognise.</summary>
    public static string Generate() => "ck_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Keys carry 256 bits of entropy, so one SHA-256 is enough to store them safely (no slow KDF needed),
    /// and it lets a key be found by an indexed lookup.
    /// </summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>
    /// Reads <c>Authorization: Bearer KEY</c>; the scheme word in any case, and a key wrapped in literal angle
    /// brackets (<c>Bearer &lt;KEY&gt;</c>) as one real client sends it.
    /// </summary>
    public static bool TryReadBearer(StringValues header, out string key)
    {
        key = "";
        if (header.Count != 1 || header[0] is not { } value)
        {
            return false;
        }
        var text = value.AsSpan().Trim();
        var space = text.IndexOfAny(' ', '\t');
        if (space < 0 || !text[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var token = text[(space + 1)..].Trim();
        if (token.Length >= 2 && token[0] == '<' && token[^1] == '>')
        {
            token = token[1..^1];
        }
        if (token.IsEmpty || token.ContainsAny(' ', '\t'))
        {
            return false;
        }
        key = token.ToString();
        return true;
    }
}
