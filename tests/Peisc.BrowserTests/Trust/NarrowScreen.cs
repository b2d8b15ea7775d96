using Microsoft.Playwright;
using Peisc.BrowserTests.Infrastructure;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// trust.md X2 at one width: the page does not scroll sideways, nothing sticks out past either edge
/// or is clipped by its box, and a region that scrolls by itself (a wide table) can be reached and
/// scrolled with the keyboard (WCAG 1.4.10 Reflow, 2.1.1 Keyboard).
/// </summary>
public static class NarrowScreen
{
    public static readonly ViewportSize Size = new() { Width = 320, Height = 640 };

    /// <summary>What a person would find wrong with the page at its current width: empty when nothing.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(this IPage page)
    {
        var problems = new List<string>();
        try
        {
            await page.AssertNoSidewaysScrollAsync();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            problems.Add(e.Message);
        }
        var found = await page.EvaluateAsync<string[]>(
            """
            () => {
              const describe = el => `${el.outerHTML.slice(0, 160)}`;
              const styles = new Map();
              const style = el => { let s = styles.get(el); if (!s) { s = getComputedStyle(el); styles.set(el, s); } return s; };
              const shown = el => {
                const s = style(el);
                if (s.display === 'none' || s.visibility === 'hidden') return false;
                const r = el.getBoundingClientRect();
                return r.width > 1 && r.height > 1;
              };
              // Inside something that scrolls (or clips, as GOV.UK's visually hidden text does): not the page's edge to judge.
              const scrolls = new Map();
              const inScroller = el => {
                const p = el.parentElement;
                if (!p || p === document.body) return false;
                if (scrolls.has(p)) return scrolls.get(p);
                const answer = style(p).overflowX !== 'visible' || inScroller(p);
                scrolls.set(p, answer);
                return answer;
              };
              const past = el => { const r = el.getBoundingClientRect(); return r.right > innerWidth + 1 || r.left < -1; };
              const problems = [];
              for (const el of document.querySelectorAll('body *')) {
                if (!shown(el)) continue;
                const s = style(el);
                if (past(el) && !inScroller(el) && ![...el.children].some(c => shown(c) && past(c))) {
                  const r = el.getBoundingClientRect();
                  problems.push(`cut off at the ${r.left < -1 ? 'left' : 'right'} edge (${Math.round(r.left)}px to ${Math.round(r.right)}px of ${innerWidth}px): ${describe(el)}`);
                }
                if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.scrollWidth <= el.clientWidth + 1 || el.clientWidth <= 1) continue;
                if (s.overflowX === 'hidden' || s.overflowX === 'clip') {
                  problems.push(`content clipped: ${el.scrollWidth}px of content in a ${el.clientWidth}px box: ${describe(el)}`);
                }
                if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.tabIndex < 0) {
                  problems.push(`scrolls sideways in its own box, but the keyboard cannot reach it to scroll (give it tabindex="0", a role and a name): ${describe(el)}`);
                }
              }
              return problems.slice(0, 10);
            }
            """
        );
        problems.AddRange(found.Select(f => $"{page.Url}: {f}"));
        return problems;
    }
}
