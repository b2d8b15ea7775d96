using Microsoft.Extensions.Caching.Memory;

namespace Peisc.Web.Workshops;

/// <summary>
/// Slows down guessing join codes: after this many codes not in use from one address within ten
/// minutes, that address may not try more until the window passes. Only failures count, so a room
/// of people behind one council network joining together is never held up.
/// </summary>
public sealed class JoinAttempts(TimeProvider clock) : IDisposable
{
    // Bounded, so that a flood from many addresses cannot grow it without limit.
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 100_000 });

    public const int Limit = 30;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private sealed class Counter
    {
        public int Count;
        public DateTimeOffset Until;
    }

    public bool TooMany(string address) =>
        cache.TryGetValue(Key(address), out Counter? counter)
        && counter!.Until > clock.GetUtcNow()
        && Volatile.Read(ref counter.Count) >= Limit;

    public void Failed(string address)
    {
        var now = clock.GetUtcNow();
        var counter = cache.GetOrCreate(
            Key(address),
            entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = Window;
                entry.Size = 1;
                return new Counter { Until = now + Window };
            }
        )!;
        if (counter.Until <= now)
        {
            cache.Set(
                Key(address),
                new Counter { Count = 1, Until = now + Window },
                new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Window, Size = 1 }
            );
            return;
        }
        Interlocked.Increment(ref counter.Count);
    }

    private static string Key(string address) => "workshop-join-failures:" + address;

    public void Dispose() => cache.Dispose();
}
