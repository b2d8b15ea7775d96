using System.Security.Cryptography;

namespace Peisc.Tests.Infrastructure;

/// <summary>Computes the code an authenticator app would show (RFC 6238: SHA-1, 30 seconds, 6 digits).</summary>
public static class Totp
{
    public static string Code(string base32Key, DateTimeOffset? at = null)
    {
        var key = FromBase32(
            base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()
        );
        var counter = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(message);
        }
        // RFC 6238 authenticator apps use HMAC-SHA1; this mirrors them, it protects nothing.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(key, message);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var binary =
            ((hash[offset] & 0x7f) << 24)
            | (hash[offset + 1] << 16)
            | (hash[offset + 2] << 8)
            | hash[offset + 3];
        return (binary % 1_000_000).ToString(
            "D6",
            System.Globalization.CultureInfo.InvariantCulture
        );
    }

    /// <summary>A code that is not valid now, nor in the window either side that servers accept.</summary>
    public static string WrongCode(string base32Key)
    {
        var now = DateTimeOffset.UtcNow;
        var valid = Enumerable
            .Range(-3, 7)
            .Select(i => Code(base32Key, now.AddSeconds(30 * i)))
            .ToHashSet();
        return Enumerable
            .Range(0, 10)
            .Select(d => new string((char)('0' + d), 6))
            .First(c => !valid.Contains(c));
    }

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = 0;
        var value = 0;
        var bytes = new List<byte>();
        foreach (var c in text.TrimEnd('='))
        {
            value = (value << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(value >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
