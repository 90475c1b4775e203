package io.github.djlflows.zoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written: picocli formats descriptions with {@link String#format},
 * so a bare '%' makes it print a warning and the raw text instead.
 */
class HelpTextTest {

    @Test
    void everyHelpRendersWithoutWarnings() {
        List<String> warned = new ArrayList<>();
        PrintStream err = System.err;
        try {
            check(new CommandLine(new FlowsCli()), warned);
        } finally {
            System.setErr(err);
        }
        assertEquals(List.of(), warned, "help texts picocli warned about");
    }

    private static void check(CommandLine cli, List<String> warned) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        cli.getUsageMessage();
        String warnings = captured.toString(StandardCharsets.UTF_8);
        if (!warnings.isEmpty()) {
            warned.add(cli.getCommandSpec().qualifiedName() + ": " + warnings.trim());
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            check(sub, warned);
        }
    }
}
