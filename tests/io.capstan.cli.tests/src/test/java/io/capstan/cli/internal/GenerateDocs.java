package io.capstan.cli.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.capstan.cli.Transport;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build step (tests/io.capstan.cli.tests/pom.xml): the bash/zsh completion script and the man
 * pages' AsciiDoc sources, generated from the command model itself (picocli, picocli-codegen);
 * Asciidoctor turns the sources into man pages next to the product.
 *
 * <p>Arguments: the directory for {@code capstan.bash}, the directory for the {@code .adoc} files.
 */
public final class GenerateDocs {

    private GenerateDocs() {
    }

    public static void main(String[] args) throws Exception {
        Context nowhere = new Context(() -> {
            throw new Transport.Unavailable("documentation only", false);
        }, false, System.out, System.err, Map.of());
        CommandLine cl = Root.commandLine(nowhere);
        Path completion = Files.createDirectories(Path.of(args[0]));
        Files.writeString(completion.resolve("capstan.bash"), AutoComplete.bash("capstan", cl));
        File adoc = Files.createDirectories(Path.of(args[1])).toFile();
        int status = ManPageGenerator.generateManPage(adoc, null, new boolean[0], false, cl.getCommandSpec());
        if (status != 0) {
            throw new IllegalStateException("picocli's man page generator failed: " + status);
        }
    }
}
