using Peisc.BrowserTests.Infrastructure;

namespace Peisc.BrowserTests.Trust;

/// <summary>
/// Proves the whole-app checks can fail: the violations-only axe scan finds known faults, the 320px
/// check finds each kind of fault it looks for, the focus check sees a GOV.UK radio whose focus
/// ring is not drawn, and a page route whose parameters have no sample is reported rather than skipped.
/// </summary>
public sealed class WholeAppNegativeControlTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task ViolationsOnlyScan_PageWithKnownFaults_FindsEachFault()
    {
        var page = await NewBlankPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Known faults</title></head>
            <body><main><h1>A page with known accessibility faults</h1>
              <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
              <form><input type="text" name="unlabelled"></form>
              <p style="color:#bbbbbb;background:#ffffff">Pale grey text on white</p>
              <a href="/somewhere"></a>
              <div style="overflow-x:auto; width:100px"><div style="width:600px">A scrolling box no keyboard can reach</div></div>
            </main></body></html>
            """
        );

        var ids = (await page.ViolationsOnlyAsync()).Select(v => v.Id).ToHashSet();

        Assert.Contains("image-alt", ids);
        Assert.Contains("label", ids);
        Assert.Contains("color-contrast", ids);
        Assert.Contains("link-name", ids);
        Assert.Contains("scrollable-region-focusable", ids);
    }

    [Fact]
    public async Task NarrowCheck_PageWithEachFault_ReportsEachOne()
    {
        var page = await NewBlankPageAsync();
        await page.SetViewportSizeAsync(NarrowScreen.Size.Width, NarrowScreen.Size.Height);
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>Faults at 320px</title></head>
            <body style="margin:0; overflow-x:hidden"><main>
              <h1>Faults at 320px</h1>
              <div style="width:600px">Cut off by the body, which hides its overflow</div>
              <div style="overflow-x:auto; width:200px"><div style="width:600px">Scrolls, but no keyboard can reach it</div></div>
              <p style="overflow:hidden; width:100px; white-space:nowrap">Clipped text that runs on past its narrow box</p>
            </main></body></html>
            """
        );

        var problems = string.Join("\n", await page.ProblemsAsync());

        Assert.Contains("cut off at the right edge", problems, StringComparison.Ordinal);
        Assert.Contains("the keyboard cannot reach it", problems, StringComparison.Ordinal);
        Assert.Contains("content clipped", problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NarrowCheck_TableInFocusableScrollingRegion_Passes()
    {
        var page = await NewBlankPageAsync();
        await page.SetViewportSizeAsync(NarrowScreen.Size.Width, NarrowScreen.Size.Height);
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>A wide table</title></head>
            <body style="margin:0"><main><h1>A wide table</h1>
              <div style="overflow-x:auto; max-width:100%; position:relative" tabindex="0" role="region" aria-label="Wide">
                <table style="width:600px"><tr><td>Scrolls inside its own region</td></tr></table>
              </div>
            </main></body></html>
            """
        );

        Assert.Empty(await page.ProblemsAsync());
    }

    [Fact]
    public async Task FocusCheck_RadioWhoseLabelDrawsNoFocusRing_Fails()
    {
        var page = await NewBlankPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>Radio</title>
            <style>.govuk-radios__input { opacity: 0; outline: 2px solid blue; }</style></head>
            <body><main><h1>A radio with a hidden focus</h1>
              <input class="govuk-radios__input" id="r" type="radio" name="r"><label for="r">Yes</label>
            </main></body></html>
            """
        );
        await page.Keyboard.PressAsync("Tab");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            MainJobKeyboardTests.AssertFocusSeenAsync(page)
        );
        Assert.Contains("no focus ring on the label", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteFill_ParameterWithNoSample_GivesNothingToVisit()
    {
        await using var app = new WholeApp();
        app.Samples["/reviews/{id"] = "5";

        Assert.Equal("/reviews/5/summary", app.Fill("/reviews/{id:guid}/summary"));
        Assert.Null(app.Fill("/reviews/{id:guid}/minutes/{minuteId:guid}"));
        Assert.Null(app.Fill("/things/{id:guid}"));
    }
}
