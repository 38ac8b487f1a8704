package io.capstan.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.capstan.cli.Transport;
import picocli.CommandLine;

/**
 * The README's command table against the command model: every command it shows exists with
 * every option it shows, every command of the model is in the table, and each example parses as
 * the command line would parse it.
 */
class ReadmeCommandsTest {

    private static final Pattern ROW = Pattern.compile("^\\| `\\./capstan([^`]*)` \\|", Pattern.MULTILINE);

    private static CommandLine model() {
        return Root.commandLine(new Context(() -> {
            throw new Transport.Unavailable("model only", false);
        }, false, System.out, System.err, Map.of()));
    }

    private static List<String> examples() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("capstan.readme", "../../README.md")));
        List<String> rows = new ArrayList<>();
        Matcher m = ROW.matcher(readme);
        while (m.find()) {
            rows.add(m.group(1).trim());
        }
        assertTrue(rows.size() >= 10, "the README's command table: " + rows);
        return rows;
    }

    @Test
    void everyCommandAndOptionInTheReadmeExists() throws Exception {
        CommandLine model = model();
        for (String row : examples()) {
            if (row.isEmpty()) {
                continue; // ./capstan alone: the workstation or the usage
            }
            String verb = row.split("\\s+")[0];
            CommandLine sub = model.getSubcommands().get(verb);
            assertTrue(sub != null, "README shows './capstan " + verb + "', which the command line does not have");
            Matcher option = Pattern.compile("--[a-z][a-z-]*").matcher(row);
            while (option.find()) {
                assertTrue(sub.getCommandSpec().findOption(option.group()) != null,
                        "README shows '" + option.group() + "' for " + verb + ", which it does not take: " + row);
            }
        }
    }

    @Test
    void everyCommandOfTheModelIsInTheReadme() throws Exception {
        Set<String> shown = new TreeSet<>();
        for (String row : examples()) {
            if (!row.isEmpty()) {
                shown.add(row.split("\\s+")[0]);
            }
        }
        Set<String> verbs = new TreeSet<>(model().getSubcommands().keySet());
        verbs.remove("help");
        assertEquals(verbs, shown, "the README's table and the command line list the same commands");
    }

    @Test
    void eachExampleParsesWithItsPlaceholdersFilledIn() throws Exception {
        for (String row : examples()) {
            if (row.isEmpty()) {
                continue;
            }
            String line = row.replaceAll("\\[([^\\[\\]]*)\\]", "$1") // optional parts: given
                    .replace("\\|", "|").replaceAll("\\|\\S*", "") // alternatives: the first
                    .replace("TAKE…", "T1 T2").replace("T,…", "capstan/take/*").replace("…", "")
                    .replace("DEVICE", "tone").replace("TAKE", "T1").replace("PORT", "8080").replace("SECONDS", "5")
                    .replace("HZ", "48000").replace("STATE", "COMPLETE").replace("DATE", "2026-12-03")
                    .replace("ID", "tone").replace(" N", " 2").replace("file.wav", "/tmp/x.wav")
                    .replace("take.wav", "/tmp/x.wav");
            String[] args = line.trim().split("\\s+");
            CommandLine fresh = model();
            try {
                fresh.parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                throw new AssertionError("README example './capstan " + row + "' (as './capstan " + line
                        + "') does not parse: " + e.getMessage(), e);
            }
        }
    }
}
