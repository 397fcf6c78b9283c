<#
.SYNOPSIS
    Converts the platyPS-format markdown in docs/ into the help PowerShell reads offline:
    <module>/en-US/Acefone.PowerShell.dll-Help.xml (MAML) and about_*.help.txt.
.DESCRIPTION
    platyPS is not on our package feed, so this is a small converter for the subset of its format we use:
    one <Verb-Noun>.md per cmdlet (SYNOPSIS, SYNTAX, DESCRIPTION, EXAMPLES, PARAMETERS with a yaml block each,
    INPUTS, OUTPUTS, NOTES, RELATED LINKS) and about_<topic>.md files. It fails on anything it cannot read
    rather than writing incomplete help; tests/pester/Help.Tests.ps1 checks what comes out.
.EXAMPLE
    ./build/Build-Help.ps1 -SourcePath docs -ModulePath out/Acefone
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [string] $HelpFileName = 'Acefone.PowerShell.dll-Help.xml',
    [string] $Culture = 'en-US'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Splits markdown into sections at headings of the given level, ignoring '#' lines inside code fences.
function Split-Section([string[]] $Lines, [int] $Level) {
    $prefix = ('#' * $Level) + ' '
    $sections = [System.Collections.Generic.List[object]]::new()
    $current = [pscustomobject]@{ Title = ''; Lines = [System.Collections.Generic.List[string]]::new() }
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith($prefix)) {
            $sections.Add($current)
            $current = [pscustomobject]@{ Title = $line.Substring($prefix.Length).Trim(); Lines = [System.Collections.Generic.List[string]]::new() }
        }
        else { $current.Lines.Add($line) }
    }
    $sections.Add($current)
    $sections
}

# Markdown prose to plain paragraphs: code spans and links lose their markup.
function ConvertTo-Paragraph([string[]] $Lines) {
    $text = ($Lines -join "`n").Trim()
    if (-not $text) { return @() }
    $text = $text -replace '`([^`]*)`', '$1' -replace '\[([^\]]+)\]\([^)]*\)', '$1'
    @($text -split "\n\s*\n" | ForEach-Object { ($_ -split "\n" | ForEach-Object Trim) -join ' ' } | Where-Object { $_ })
}

# The lines of a markdown file, split at line ends only. Get-Content also splits at a lone carriage return, so a
# '\r' that a tool once wrote out as the character (".\recordings" -> "." + CR + "ecordings") became a line break in
# the built help. Such a character, and the damage it leaves (an indented example line running straight into
# unindented text), stop the build with the file and line instead.
function Read-MarkdownLine([string] $Path) {
    $text = [System.IO.File]::ReadAllText($Path)
    $lines = @($text -split '\r?\n')
    $name = Split-Path -Leaf $Path
    $inFence = $false
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '[\r\f\v\u0085\u2028\u2029]') {
            throw "${name} line $($i + 1): a control character ($(('{0:X4}' -f [int][char]$Matches[0]))) inside the line; an escape such as '\r' or '\n' in a path was written out as the character. Write the path as it is typed, e.g. .\recordings."
        }
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $i -gt 0 -and $lines[$i - 1] -match '^    \S' -and $line -match '^[^\s#|`>*-]') {
            throw "${name} line $($i + 1): '$line' runs straight on from the indented example line above it; if it is the rest of that line, a '\r' or '\n' in a path (.\recordings, .\new) was turned into a line break."
        }
    }
    # A file ending with a newline ends with one empty element, which is not a line.
    if ($lines.Count -gt 0 -and $lines[-1] -eq '') { $lines = $lines[0..($lines.Count - 2)] }
    , [string[]] $lines
}

function Get-Fence([string[]] $Lines) {
    $code = [System.Collections.Generic.List[string]]::new()
    $rest = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { $code.Add($line) } else { $rest.Add($line) }
    }
    [pscustomobject]@{ Code = $code.ToArray(); Rest = $rest.ToArray() }
}

function Read-CommandMarkdown([string] $Path) {
    $lines = Read-MarkdownLine $Path
    if ($lines[0] -eq '---') { $end = [array]::IndexOf($lines, '---', 1); $lines = $lines[($end + 1)..($lines.Count - 1)] }
    $top = Split-Section $lines 1 | Where-Object Title
    if (@($top).Count -ne 1) { throw "${Path}: expected exactly one '# <command name>' heading." }
    $name = $top.Title
    $sections = @{}
    foreach ($section in Split-Section $top.Lines 2) { if ($section.Title) { $sections[$section.Title] = $section.Lines.ToArray() } }
    foreach ($required in 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS') {
        if (-not $sections.ContainsKey($required)) { throw "${Path}: no '## $required' section." }
    }

    $parameters = foreach ($section in Split-Section $sections['PARAMETERS'] 3) {
        if (-not $section.Title.StartsWith('-')) { continue }   # CommonParameters and the preamble
        $parts = Get-Fence $section.Lines
        $meta = @{}
        foreach ($line in $parts.Code) { if ($line -match '^([^:]+):\s*(.*)$') { $meta[$Matches[1].Trim()] = $Matches[2].Trim() } }
        foreach ($key in 'Type', 'Parameter Sets', 'Required', 'Position') { if (-not $meta.ContainsKey($key)) { throw "${Path}: parameter $($section.Title) has no '$key' in its yaml block." } }
        [pscustomobject]@{
            Name         = $section.Title.Substring(1)
            Description  = @(ConvertTo-Paragraph $parts.Rest)
            Type         = $meta['Type']
            Sets         = @($meta['Parameter Sets'] -split ',\s*')
            Aliases      = $meta['Aliases']
            Required     = $meta['Required'] -eq 'True'
            Position     = $meta['Position']
            DefaultValue = if ($meta['Default value']) { $meta['Default value'] } else { 'None' }
            Pipeline     = if ($meta['Accept pipeline input']) { $meta['Accept pipeline input'] } else { 'False' }
            Globbing     = $meta['Accept wildcard characters'] -eq 'True'
        }
    }

    $setNames = @(foreach ($section in Split-Section $sections['SYNTAX'] 3) { if ($section.Title) { ($section.Title -replace '\s*\(Default\)$', '').Trim() } })
    $examples = foreach ($section in Split-Section $sections['EXAMPLES'] 3) {
        if (-not $section.Title) { continue }
        $parts = Get-Fence $section.Lines
        [pscustomobject]@{ Title = $section.Title; Code = ($parts.Code -join "`n"); Remarks = @(ConvertTo-Paragraph $parts.Rest) }
    }
    $typed = {
        param([string[]] $Lines)
        foreach ($section in Split-Section $Lines 3) {
            if ($section.Title) { [pscustomobject]@{ Type = $section.Title; Description = @(ConvertTo-Paragraph $section.Lines) } }
        }
    }
    $links = if ($sections.ContainsKey('RELATED LINKS')) { @($sections['RELATED LINKS'] | Where-Object { $_ -match '^\[([^\]]+)\]\(([^)]*)\)' } | ForEach-Object { [pscustomobject]@{ Text = $Matches[1]; Uri = if ($Matches[2] -match '^https?://') { $Matches[2] } else { '' } } }) } else { @() }

    [pscustomobject]@{
        Name        = $name
        Synopsis    = (ConvertTo-Paragraph $sections['SYNOPSIS']) -join ' '
        Description = @(ConvertTo-Paragraph $sections['DESCRIPTION'])
        SetNames    = $setNames
        Parameters  = @($parameters)
        Examples    = @($examples)
        Inputs      = @(if ($sections.ContainsKey('INPUTS')) { & $typed $sections['INPUTS'] })
        Outputs     = @(if ($sections.ContainsKey('OUTPUTS')) { & $typed $sections['OUTPUTS'] })
        Notes       = @(if ($sections.ContainsKey('NOTES')) { ConvertTo-Paragraph $sections['NOTES'] })
        Links       = $links
    }
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$commandNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Para([System.Xml.XmlWriter] $Writer, [string] $Element, [string[]] $Paragraphs) {
    $prefix, $local = $Element.Split(':')
    $Writer.WriteStartElement($prefix, $local, $(if ($prefix -eq 'maml') { $maml } elseif ($prefix -eq 'dev') { $dev } else { $commandNs }))
    foreach ($para in $Paragraphs) { $Writer.WriteElementString('maml', 'para', $maml, $para) }
    $Writer.WriteEndElement()
}

function Write-Parameter([System.Xml.XmlWriter] $Writer, $Parameter, [bool] $InSyntax) {
    $isSwitch = $Parameter.Type -eq 'SwitchParameter'
    $Writer.WriteStartElement('command', 'parameter', $commandNs)
    $Writer.WriteAttributeString('required', $Parameter.Required.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('variableLength', $Parameter.Type.EndsWith('[]').ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('globbing', $Parameter.Globbing.ToString().ToLowerInvariant())
    $Writer.WriteAttributeString('pipelineInput', $Parameter.Pipeline)
    $Writer.WriteAttributeString('position', $(if ($Parameter.Position -eq 'Named') { 'named' } else { $Parameter.Position }))
    $Writer.WriteAttributeString('aliases', $(if ($Parameter.Aliases) { $Parameter.Aliases } else { 'none' }))
    $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Name)
    Write-Para $Writer 'maml:description' $Parameter.Description
    if (-not ($isSwitch -and $InSyntax)) {
        $Writer.WriteStartElement('command', 'parameterValue', $commandNs)
        $Writer.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $Writer.WriteAttributeString('variableLength', 'false')
        $Writer.WriteString($Parameter.Type)
        $Writer.WriteEndElement()
    }
    $Writer.WriteStartElement('dev', 'type', $dev)
    $Writer.WriteElementString('maml', 'name', $maml, $Parameter.Type)
    $Writer.WriteEndElement()
    $Writer.WriteElementString('dev', 'defaultValue', $dev, $Parameter.DefaultValue)
    $Writer.WriteEndElement()
}

function Write-Command([System.Xml.XmlWriter] $Writer, $Command) {
    $verb, $noun = $Command.Name.Split('-', 2)
    $Writer.WriteStartElement('command', 'command', $commandNs)
    $Writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $Writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
    $Writer.WriteStartElement('command', 'details', $commandNs)
    $Writer.WriteElementString('command', 'name', $commandNs, $Command.Name)
    $Writer.WriteElementString('command', 'verb', $commandNs, $verb)
    $Writer.WriteElementString('command', 'noun', $commandNs, $noun)
    Write-Para $Writer 'maml:description' @($Command.Synopsis)
    $Writer.WriteEndElement()
    Write-Para $Writer 'maml:description' $Command.Description

    $Writer.WriteStartElement('command', 'syntax', $commandNs)
    foreach ($set in $Command.SetNames) {
        $Writer.WriteStartElement('command', 'syntaxItem', $commandNs)
        $Writer.WriteElementString('maml', 'name', $maml, $Command.Name)
        $inSet = $Command.Parameters | Where-Object { $_.Sets -contains '(All)' -or $_.Sets -contains $set }
        # Positional parameters first, in order, as PowerShell's own syntax lines show them.
        $ordered = @($inSet | Where-Object Position -ne 'Named' | Sort-Object { [int]$_.Position }) + @($inSet | Where-Object Position -eq 'Named')
        foreach ($parameter in $ordered) { Write-Parameter $Writer $parameter $true }
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'parameters', $commandNs)
    foreach ($parameter in $Command.Parameters) { Write-Parameter $Writer $parameter $false }
    $Writer.WriteEndElement()

    foreach ($kind in @(@{ Outer = 'inputTypes'; Inner = 'inputType'; Items = $Command.Inputs }, @{ Outer = 'returnValues'; Inner = 'returnValue'; Items = $Command.Outputs })) {
        $Writer.WriteStartElement('command', $kind.Outer, $commandNs)
        foreach ($item in $kind.Items) {
            $Writer.WriteStartElement('command', $kind.Inner, $commandNs)
            $Writer.WriteStartElement('dev', 'type', $dev)
            $Writer.WriteElementString('maml', 'name', $maml, $item.Type)
            $Writer.WriteEndElement()
            Write-Para $Writer 'maml:description' $item.Description
            $Writer.WriteEndElement()
        }
        $Writer.WriteEndElement()
    }

    if ($Command.Notes) {
        $Writer.WriteStartElement('maml', 'alertSet', $maml)
        Write-Para $Writer 'maml:alert' $Command.Notes
        $Writer.WriteEndElement()
    }

    $Writer.WriteStartElement('command', 'examples', $commandNs)
    foreach ($example in $Command.Examples) {
        $Writer.WriteStartElement('command', 'example', $commandNs)
        $Writer.WriteElementString('maml', 'title', $maml, "-------------------------- $($example.Title) --------------------------")
        $Writer.WriteElementString('dev', 'code', $dev, $example.Code)
        Write-Para $Writer 'dev:remarks' $example.Remarks
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()

    $Writer.WriteStartElement('command', 'relatedLinks', $commandNs)
    foreach ($link in $Command.Links) {
        $Writer.WriteStartElement('maml', 'navigationLink', $maml)
        $Writer.WriteElementString('maml', 'linkText', $maml, $link.Text)
        $Writer.WriteElementString('maml', 'uri', $maml, $link.Uri)
        $Writer.WriteEndElement()
    }
    $Writer.WriteEndElement()
    $Writer.WriteEndElement()
}

# about_<topic>.md to the plain-text layout Get-Help shows: headings flush left in capitals, text indented.
function ConvertTo-AboutText([string] $Path) {
    $lines = Read-MarkdownLine $Path
    $out = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $lines) {
        if ($line -match '^# (.+)$') { $out.Add('TOPIC'); $out.Add('    ' + $Matches[1].ToLowerInvariant()) }
        elseif ($line -match '^## (.+)$') { $out.Add($Matches[1].ToUpperInvariant()) }
        elseif ($line -match '^### (.+)$') { $out.Add('  ' + $Matches[1]) }
        elseif ($line.Trim()) { $out.Add('    ' + ($line -replace '`([^`]*)`', '$1')) }
        else { $out.Add('') }
    }
    $out -join [Environment]::NewLine
}

$source = (Resolve-Path $SourcePath).Path
$target = Join-Path (Resolve-Path $ModulePath).Path $Culture
$null = New-Item -ItemType Directory -Force $target

$commandFiles = @(Get-ChildItem $source -Filter '*-*.md' | Sort-Object Name)
if (-not $commandFiles) { throw "No command markdown (<Verb-Noun>.md) in $source." }
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$writer = [System.Xml.XmlWriter]::Create((Join-Path $target $HelpFileName), $settings)
try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($file in $commandFiles) { Write-Command $writer (Read-CommandMarkdown $file.FullName) }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
}
finally { $writer.Dispose() }

foreach ($about in Get-ChildItem $source -Filter 'about_*.md') {
    $text = ConvertTo-AboutText $about.FullName
    [System.IO.File]::WriteAllText((Join-Path $target ($about.BaseName + '.help.txt')), $text, [System.Text.UTF8Encoding]::new($false))
}
Write-Verbose "Help for $($commandFiles.Count) commands written to $target."
