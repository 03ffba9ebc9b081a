<!-- workbench:chapter
format: 1
title: "Results \e]0;PWNED-TITLE\a\e]52;c;UFdORUQ=\a\e[2J\x9B31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)"
lang: en
attribution: ({case}, {size})
appendix: false
all: false
-->

# Results \]0;PWNED-TITLE\]52;c;UFdORUQ=\[2J31m‮⁦⁪￹\[bold\]B\[/\]\[link=https://example.invalid\]L\[/link\]\[md\](https://example.invalid)

memo ]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)
second line ]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)

## Trust\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L

memo ]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)
second line ]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)

]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)

<!-- workbench:quote id=1 transcript=informant%1B%5D0;PWNED-TITLE%07%1B%5B2J%C2%9B31m%E2%80%AE%E2%81%A6%E2%81%AA%EF%BF%B9%5Bbold%5DB%5Blink%3Dx%5DL1 case=case%1B%5D0;PWNED-TITLE%07%1B%5B2J%C2%9B31m%E2%80%AE%E2%81%A6%E2%81%AA%EF%BF%B9%5Bbold%5DB%5Blink%3Dx%5DL start=166 end=327 sha256=2b967ac30c144435d25a1d314ad08647030f5b731d3172154721f4770a3f12fa -->

> “We trust the people. \]0;PWNED-TITLE\]52;c;UFdORUQ=\[2J31m‮⁦⁪￹\[bold\]B\[/\]\[link=https://example.invalid\]L\[/link\]\[md\](https://example.invalid) \[...\]” (case\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L, small\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L)

### Doubt\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L

sub ]0;PWNED-TITLE]52;c;UFdORUQ=[2J31m‮⁦⁪￹[bold]B[/][link=https://example.invalid]L[/link][md](https://example.invalid)

<!-- workbench:quote id=2 transcript=informant%1B%5D0;PWNED-TITLE%07%1B%5B2J%C2%9B31m%E2%80%AE%E2%81%A6%E2%81%AA%EF%BF%B9%5Bbold%5DB%5Blink%3Dx%5DL1 case=case%1B%5D0;PWNED-TITLE%07%1B%5B2J%C2%9B31m%E2%80%AE%E2%81%A6%E2%81%AA%EF%BF%B9%5Bbold%5DB%5Blink%3Dx%5DL start=166 end=186 sha256=2b967ac30c144435d25a1d314ad08647030f5b731d3172154721f4770a3f12fa -->

> “We trust the people.” (case\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L, small\]0;PWNED-TITLE\[2J31m‮⁦⁪￹\[bold\]B\[link=x\]L)
