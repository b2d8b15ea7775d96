using Peisc.BrowserTests.Infrastructure;

namespace Peisc.BrowserTests;

/// <summary>Proves the checks can fail: "0 violations" elsewhere means something only if these faults are found.</summary>
public sealed class NegativeControlTests(BrowserFixture fixture) : BrowserTest(fixture)
{
    private const string FaultyPage = """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head><meta charset="utf-8"><title>Known faults</title></head>
        <body>
          <main>
            <h1>A page with known accessibility faults</h1>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40">
            <form><input type="text" name="unlabelled"></form>
            <p style="color:#bbbbbb;background:#ffffff">Pale grey text on white</p>
            <a href="/somewhere"></a>
          </main>
        </body>
        </html>
        """;

    [Fact]
    public async Task Scan_PageWithKnownFaults_FindsEachFault()
    {
        var page = await NewBlankPageAsync();
        await page.SetContentAsync(FaultyPage);

        var violations = await page.ViolationsAsync();

        var ids = violations.Select(v => v.Id).ToHashSet();
        Assert.Contains("image-alt", ids);
        Assert.Contains("label", ids);
        Assert.Contains("color-contrast", ids);
        Assert.Contains("link-name", ids);
        // The failure message names the rule, its help text and the offending element.
        var message = Axe.Describe("about:blank", violations);
        Assert.Contains("image-alt", message, StringComparison.Ordinal);
        Assert.Contains("<img", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StyleCheck_PageWithoutOurStylesheet_Fails()
    {
        var page = await NewBlankPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>Unstyled</title></head>
            <body><header><div class="govuk-generic-header">PEISC</div></header><main><h1>Unstyled</h1></main></body></html>
            """
        );

        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => page.AssertStyledAsync());
    }

    [Fact]
    public async Task FocusCheck_ElementWithFocusOutlineRemoved_Fails()
    {
        var page = await NewBlankPageAsync();
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>No focus</title>
            <style>a:focus, a:focus-visible { outline: none; box-shadow: none; }</style></head>
            <body><main><h1>No focus style</h1><a href="#x">A link that hides its focus</a></main></body></html>
            """
        );
        await page.Keyboard.PressAsync("Tab");

        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            page.AssertFocusVisibleAsync()
        );
        Assert.Contains("no visible focus indicator", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReflowCheck_PageWiderThanViewport_Fails()
    {
        var page = await NewBlankPageAsync();
        await page.SetViewportSizeAsync(320, 640);
        await page.SetContentAsync(
            """
            <!DOCTYPE html><html lang="en-GB"><head><title>Wide</title></head>
            <body><main><h1>Too wide</h1><div style="width:600px">A fixed-width block</div></main></body></html>
            """
        );

        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            page.AssertNoSidewaysScrollAsync()
        );
    }
}
