using Microsoft.Playwright;

namespace Peisc.BrowserTests.Infrastructure;

/// <summary>trust.md X3: where the keyboard focus is, and whether a sighted person can see it.</summary>
public static class Focus
{
    /// <summary>The focused element has a focus indicator (outline or box-shadow) and is not scrolled out of view or covered.</summary>
    public static async Task AssertFocusVisibleAsync(this IPage page)
    {
        var state = await page.EvaluateAsync<FocusState>(
            """
            () => {
              const el = document.activeElement;
              if (!el || el === document.body) return { describe: 'nothing (body)', indicator: false, inView: false, onTop: false };
              const style = getComputedStyle(el);
              const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
              const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
              const r = el.getBoundingClientRect();
              const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
                && r.top < innerHeight && r.left < innerWidth;
              // Not hidden under something else (a sticky header, say): the element or its child is on top at its centre.
              const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
              const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
              const top = document.elementFromPoint(x, y);
              const onTop = !!top && (el === top || el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some(l => l.contains(top))));
              const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().slice(0, 60);
              return {
                describe: `<${el.tagName.toLowerCase()}${el.id ? ' id=' + el.id : ''}${el.className ? ' class="' + el.className + '"' : ''}> "${name}" outline ${style.outlineStyle} ${style.outlineWidth}, box-shadow ${style.boxShadow}`,
                indicator: outline || shadow,
                inView,
                onTop,
              };
            }
            """
        );
        Assert.True(state.Indicator, $"{page.Url}: no visible focus indicator on {state.Describe}");
        Assert.True(
            state.InView,
            $"{page.Url}: the focused element is out of view: {state.Describe}"
        );
        Assert.True(state.OnTop, $"{page.Url}: the focused element is covered: {state.Describe}");
    }

    /// <summary>Tabs from the top of the page to the end, checking focus is visible at every stop. Returns the stops.</summary>
    public static async Task<IReadOnlyList<string>> TabThroughAsync(
        this IPage page,
        int limit = 200
    )
    {
        await page.EvaluateAsync(
            "() => { document.activeElement?.blur(); window.scrollTo(0, 0); }"
        );
        var stops = new List<string>();
        for (var i = 0; i < limit; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            var stop = await page.EvaluateAsync<TabStop>(
                "() => { const el = document.activeElement; const end = !el || el === document.body; return { html: end ? '' : el.outerHTML.slice(0, 200), end }; }"
            );
            // Past the last stop, Chromium's focus leaves the page (body) or wraps to the first stop.
            if (stop.End || (stops.Count > 0 && stop.Html == stops[0]))
            {
                return stops;
            }
            await page.AssertFocusVisibleAsync();
            stops.Add(stop.Html);
        }
        throw new Xunit.Sdk.XunitException(
            $"{page.Url}: more than {limit} tab stops: is focus trapped?"
        );
    }

    /// <summary>Presses Tab until the target has focus, checking focus is visible at every stop on the way. Returns the number of presses.</summary>
    public static async Task<int> TabToAsync(this IPage page, ILocator target, int limit = 150)
    {
        for (var presses = 1; presses <= limit; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            await page.AssertFocusVisibleAsync();
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return presses;
            }
        }
        throw new Xunit.Sdk.XunitException(
            $"{page.Url}: {limit} presses of Tab did not reach {target}"
        );
    }

    // Playwright fills results through a parameterless constructor and setters.
    private sealed class TabStop
    {
        public string Html { get; set; } = "";
        public bool End { get; set; }
    }

    private sealed class FocusState
    {
        public string Describe { get; set; } = "";
        public bool Indicator { get; set; }
        public bool InView { get; set; }
        public bool OnTop { get; set; }
    }
}
