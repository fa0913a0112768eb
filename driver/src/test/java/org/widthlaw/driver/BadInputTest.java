package org.widthlaw.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every bad input is one line, exit 2 (3 for an OUT in use by a live run), and nothing written
 * (docs/ARCHITECTURE.md, "CLI", exit codes), whoever finds it: the job parser, the YAML reader,
 * the data readers, picocli, Spark's rules or the file system. Each case runs the CLI in this
 * JVM in a folder of its own, and checks the exit code, that stderr is one line
 * {@code widthlaw: FIELD: ...} (a usage error may add one hint line pointing to --help), that
 * the line names the field, flag or file, that stdout is empty, and that no byte under the
 * case's folder changed (an OUT that did not exist still does not). Only the setting that Spark
 * alone can judge starts a SparkSession.
 *
 * <p>Columns: label | job (a line replacing the job file's line with the same key, or added; ¶
 * is a line break; empty: the good job; {@code @name}: a generated one) | setup (space-separated
 * steps, see {@link #setUp}) | arguments ({job}, {out} and {dir} are the case's files) | exit code
 * (2h: 2 with a hint line) | the field the line starts with | a part of what it must say.
 */
class BadInputTest {
    @TempDir
    static Path root;

    private static final AtomicInteger CASES = new AtomicInteger();
    /** Folders made immutable to bind root, which permissions do not: released after the class. */
    private static final List<Path> IMMUTABLE = new ArrayList<>();

    /** CSV files by name; ¶ is a line break. */
    private static final Map<String, String> CSV = Map.ofEntries(
            Map.entry("columns", "1,2,3¶4,5,6¶7,8¶"),
            Map.entry("word", "1,2,3¶4,x,6¶"),
            Map.entry("nan", "1,2,3¶4,NaN,6¶"),
            Map.entry("infinity", "1,2,3¶Infinity,5,6¶"),
            Map.entry("inf", "1,2,3¶4,5,inf¶"),
            Map.entry("overflow", "1,2,3¶1e999,5,6¶"),
            Map.entry("zero", "1,2,3¶0,0,6¶"),
            Map.entry("empty", ""),
            Map.entry("header", "a,b,y¶"),
            Map.entry("blank", "¶¶   ¶"),
            Map.entry("mixed", "x,2,y¶1,2,3¶"),
            Map.entry("two", "1,2,3¶4,5,6¶"),
            Map.entry("labels", "1¶2¶3¶"),
            Map.entry("real", "1,2,1¶3,4,-1¶5,6,0.5¶".repeat(6)),
            Map.entry("signs", "1,2,1¶3,4,-1¶5,6,-1¶".repeat(6)));

    @AfterAll
    static void release() throws Exception {
        for (Path p : IMMUTABLE)
            new ProcessBuilder("chattr", "-i", p.toString()).start().waitFor();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # ---- job files: size, encoding, documents, syntax
            job of 3 MiB           | @big            |                     | run {job} --out {out}             | 2  | job               | is larger than 1048576 bytes
            job is /dev/zero       |                 |                     | plan /dev/zero                    | 2  | job               | /dev/zero is larger than 1048576 bytes
            job is a directory     |                 | jobdir              | run {job} --out {out}             | 2  | job               | is a directory, not a job file
            job missing            |                 | nojob               | run {job} --out {out}             | 2  | job               | file not found:
            job not UTF-8          |                 | binjob              | plan {job}                        | 2  | job               | is not UTF-8 text
            job empty              |                 | emptyjob            | run {job} --out {out}             | 2  | job               | the file is empty
            second document        | train: { steps: 3000 }¶---¶train: { steps: 5 } | | run {job} --out {out}   | 2  | job               | holds a second YAML document (from line
            unclosed mapping       | data: { kind: sphere, d: 5 |         | run {job} --out {out}             | 2  | job               | not valid YAML at line 3, column 6: expected ',' or '}', but got : (while parsing a flow mapping from line 2, column 7)
            unclosed list          | grid: { n: [8, 16 }  |                | plan {job}                        | 2  | job               | not valid YAML at line 4
            tab indentation        | data:¶\tkind: sphere |                | plan {job}                        | 2  | job               | not valid YAML at line
            duplicate key          | name: tiny¶name: again |              | run {job} --out {out}             | 2  | job               | Duplicate field 'name'
            nesting too deep       | @deep           |                     | plan {job}                        | 2  | train             | document nesting depth (17) exceeds the maximum allowed (16)
            number too long        | @longnumber     |                     | plan {job}                        | 2  | train.tol         | number value length (203) exceeds the maximum allowed (100)
            name too long          | @longname       |                     | run {job} --out {out}             | 2  | name              | (100000 characters)
            line break in a value  | "model: { arch: ""two\\nlayer"" }" | | plan {job}                       | 2  | model.arch        | got 'two\\nlayer'
            # ---- job files: NaN and infinity, spelled as strings or as YAML
            lr NaN                 | train: { lr: NaN } |                  | run {job} --out {out}             | 2  | train.lr          | must be auto or a number > 0, got 'NaN'
            lr .nan                | train: { lr: .nan } |                 | run {job} --out {out}             | 2  | train.lr          | must be auto or a number > 0, got '.nan'
            lr Infinity            | train: { lr: Infinity } |             | plan {job}                        | 2  | train.lr          | must be auto or a number > 0, got 'Infinity'
            lr quoted nan          | "train: { lr: 'nan' }" |              | plan {job}                        | 2  | train.lr          | must be auto or a number > 0, got 'nan'
            lr a word              | train: { lr: fast } |                 | plan {job}                        | 2  | train.lr          | must be auto or a number > 0, got 'fast'
            lr zero                | train: { lr: 0 } |                    | plan {job}                        | 2  | train.lr          | must be auto or a number > 0, got 0.0
            tol .inf               | train: { tol: .inf } |                | run {job} --out {out}             | 2  | train.tol         | must be a number in (0, 1), got '.inf'
            tol -Infinity          | train: { tol: -Infinity } |           | plan {job}                        | 2  | train.tol         | must be a number in (0, 1), got '-Infinity'
            tol 1e999              | train: { tol: 1e999 } |               | plan {job}                        | 2  | train.tol         | must be a number in (0, 1), got Infinity
            c_eta inf              | train: { c_eta: inf } |               | plan {job}                        | 2  | train.c_eta       | must be a finite number > 0, got 'inf'
            c_sigma NaN            | model: { arch: fc, c_sigma: NaN }¶grid: { depth: [3], n: [8], seeds: 1 } | | plan {job} | 2 | model.c_sigma | must be a finite number > 0, got 'NaN'
            c_res -.inf            | model: { arch: resnet, c_res: -.inf }¶grid: { depth: [3], n: [8], seeds: 1 } | | plan {job} | 2 | model.c_res | must be a number in (0, 1), got '-.inf'
            resolution NaN         | search: { resolution: NaN } |         | plan {job}                        | 2  | search.resolution | a whole width >= 1 or a fraction in (0, 1), got 'NaN'
            d .nan                 | data: { kind: sphere, d: .nan } |     | plan {job}                        | 2  | data.d            | must be an integer in [1, 100000]
            d a word               | data: { kind: sphere, d: ten } |      | plan {job}                        | 2  | data.d            | must be an integer in [1, 100000]
            n lists NaN            | grid: { depth: [2], n: [8, NaN], seeds: 2 } | | plan {job}                | 2  | grid.n            | must be an integer in [1, 10000000] or a list of them, got 'NaN'
            n zero                 | grid: { depth: [2], n: [0, 8], seeds: 2 } | | plan {job}                  | 2  | grid.n            | must be an integer in [1, 10000000] or a list of them, got 0
            steps infinite         | train: { steps: .inf } |              | plan {job}                        | 2  | train.steps       | must be an integer in [1, 100000000]
            seeds beyond int       | grid: { depth: [2], n: [8], seeds: [99999999999] } | | plan {job}         | 2  | grid.seeds        | a list of distinct integers in [0, 2147483647], got 99999999999
            min_width NaN          | search: { min_width: NaN } |          | plan {job}                        | 2  | search.min_width  | must be an integer in [1, 1048576], got 'NaN'
            # ---- data files: CSV
            csv wrong columns      | data: { kind: csv, path: data.csv } | csv=columns | run {job} --out {out}   | 2  | data.path         | data.csv, line 3, column 3: has 2 columns, expected 3
            csv not a number       | data: { kind: csv, path: data.csv } | csv=word | run {job} --out {out}      | 2  | data.path         | data.csv, line 2, column 2: 'x' is not a number
            csv NaN                | data: { kind: csv, path: data.csv } | csv=nan | run {job} --out {out}       | 2  | data.path         | data.csv, line 2, column 2: 'NaN' is not a finite number
            csv Infinity           | data: { kind: csv, path: data.csv } | csv=infinity | run {job} --out {out}  | 2  | data.path         | data.csv, line 2, column 1: 'Infinity' is not a finite number
            csv inf                | data: { kind: csv, path: data.csv } | csv=inf | run {job} --out {out}       | 2  | data.path         | data.csv, line 2, column 3: 'inf' is not a number
            csv 1e999              | data: { kind: csv, path: data.csv } | csv=overflow | run {job} --out {out}  | 2  | data.path         | data.csv, line 2, column 1: '1e999' is not a finite number
            csv zero vector        | data: { kind: csv, path: data.csv } | csv=zero | run {job} --out {out}      | 2  | data.path         | data.csv, line 2, column 1: the feature vector is all zeros
            csv empty file         | data: { kind: csv, path: data.csv } | csv=empty | run {job} --out {out}     | 2  | data.path         | data.csv has no samples
            csv header only        | data: { kind: csv, path: data.csv } | csv=header | run {job} --out {out}    | 2  | data.path         | data.csv has no samples
            csv blank lines only   | data: { kind: csv, path: data.csv, d: 2 } | csv=blank | run {job} --out {out} | 2 | data.path       | data.csv has no samples
            csv mixed first row    | data: { kind: csv, path: data.csv } | csv=mixed | run {job} --out {out}     | 2  | data.path         | data.csv, line 1, column 2: the first row mixes text
            csv fewer rows than n  | data: { kind: csv, path: data.csv } | csv=two | run {job} --out {out}       | 2  | grid.n            | asks for 16 samples, and csv data at
            csv d does not match   | data: { kind: csv, path: data.csv, d: 5 } | csv=two | run {job} --out {out} | 2  | data.d            | is 5, and with 1 label column the rows need 6 columns
            csv labels only        | data: { kind: csv, path: data.csv } | csv=labels | run {job} --out {out}    | 2  | data.d            | cannot be inferred
            csv real for hinge     | data: { kind: csv, path: data.csv }¶train: { loss: hinge } | csv=real | run {job} --out {out} | 2 | train.loss | hinge needs targets +1 or -1 (one output)
            csv real, plan         | data: { kind: csv, path: data.csv }¶train: { loss: cross-entropy } | csv=real | plan {job} | 2 | train.loss | cross-entropy needs targets +1 or -1
            csv signs, two outputs | data: { kind: csv, path: data.csv, d: 1, outputs: 2 }¶train: { loss: cross-entropy } | csv=signs | run {job} --out {out} | 2 | train.loss | cross-entropy needs one-hot targets (k outputs)
            sphere random hinge    | train: { loss: hinge }   |                     | run {job} --out {out}             | 2  | train.loss        | hinge needs class targets (+1/-1 or one-hot), and data.labels 'random' are real-valued
            loss list bad entry    | data: { kind: sphere, d: 5, labels: teacher-class }¶train: { loss: [squared, logistic] } | | run {job} --out {out} | 2 | train.loss | must be one of [squared, cross-entropy, hinge], got 'logistic'
            loss list, random      | train: { loss: [squared, cross-entropy] } |      | plan {job}                        | 2  | train.loss        | cross-entropy needs class targets (+1/-1 or one-hot), and data.labels 'random' are real-valued
            loss list, early stop  | data: { kind: sphere, d: 5, labels: teacher-class }¶train: { loss: [cross-entropy, hinge], early_stop: true } | | run {job} --out {out} | 2 | train.early_stop | must be false with loss cross-entropy, hinge
            optimizer unknown      | train: { optimizer: adam } |                 | run {job} --out {out}             | 2  | train.optimizer   | must be one of [gd, sgd], got 'adam'
            sgd without batch      | train: { optimizer: sgd } |                  | run {job} --out {out}             | 2  | train.batch       | is needed with optimizer sgd
            sgd batch above n      | train: { optimizer: sgd, batch: 9 } |        | plan {job}                        | 2  | train.batch       | must be an integer in [1, the grid's smallest n] (the grid's smallest n is 8), got 9
            sgd batch zero         | train: { optimizer: sgd, batch: 0 } |        | run {job} --out {out}             | 2  | train.batch       | got 0
            sgd batch not integer  | train: { optimizer: sgd, batch: 2.5 } |      | run {job} --out {out}             | 2  | train.batch       | 2.5
            batch without sgd      | train: { batch: 4 } |                        | run {job} --out {out}             | 2  | train.batch       | is only for optimizer sgd
            csv missing            | data: { kind: csv, path: data.csv } |          | run {job} --out {out}      | 2  | data.path         | data.csv not found
            csv is a directory     | data: { kind: csv, path: data.csv } | csvdir   | run {job} --out {out}      | 2  | data.path         | data.csv is a directory, not a file
            csv is /dev/zero       | data: { kind: csv, path: /dev/zero } |         | run {job} --out {out}      | 2  | data.path         | /dev/zero is not a regular file
            csv d given, /dev/zero | data: { kind: csv, path: /dev/zero, d: 3 } |   | plan {job}                 | 2  | data.path         | /dev/zero is not a regular file
            csv over 256 MiB       | data: { kind: csv, path: data.csv } | sparse=data.csv:257 | run {job} --out {out} | 2 | data.path       | is 269484032 bytes; at most 268435456 (256 MiB) are read
            csv line over 8 Mi     | data: { kind: csv, path: data.csv } | longline | run {job} --out {out}      | 2  | data.path         | data.csv, line 1, column 1: the line is longer than 8388608 characters
            csv not UTF-8          | data: { kind: csv, path: data.csv } | latin1   | run {job} --out {out}      | 2  | data.path         | data.csv, line 2: not UTF-8 text
            # ---- data files: Fashion-MNIST (IDX)
            mnist dir missing      | data: { kind: fashion-mnist, path: mnist } |  | run {job} --out {out}      | 2  | data.path         | file not found: {dir}/mnist
            mnist dir is a file    | data: { kind: fashion-mnist, path: mnist } | mnist=file | run {job} --out {out} | 2 | data.path      | mnist is not a directory
            mnist path /dev/zero   | data: { kind: fashion-mnist, path: /dev/zero } | | run {job} --out {out}     | 2  | data.path         | /dev/zero is not a directory
            mnist labels missing   | data: { kind: fashion-mnist, path: mnist } | mnist=nolabels | run {job} --out {out} | 2 | data.path  | train-labels-idx1-ubyte.gz not found
            mnist header claims GB | data: { kind: fashion-mnist, path: mnist } | mnist=huge | run {job} --out {out} | 2 | data.path      | its header declares 1000000 x 28 x 28 bytes; at most 134217728 (128 MiB) are read
            mnist file over limit  | data: { kind: fashion-mnist, path: mnist } | mnist=oversize | run {job} --out {out} | 2 | data.path  | train-images-idx3-ubyte.gz is 135266304 bytes; at most 134217728 (128 MiB) are read
            mnist truncated        | data: { kind: fashion-mnist, path: mnist } | mnist=short | run {job} --out {out} | 2 | data.path     | train-images-idx3-ubyte.gz ends before its header says it should
            mnist not gzip         | data: { kind: fashion-mnist, path: mnist } | mnist=notgz | run {job} --out {out} | 2 | data.path     | Not in GZIP format
            mnist bad magic        | data: { kind: fashion-mnist, path: mnist } | mnist=magic | run {job} --out {out} | 2 | data.path     | is not an IDX file of unsigned bytes
            mnist 3x3 images       | data: { kind: fashion-mnist, path: mnist } | mnist=small | run {job} --out {out} | 2 | data.path     | holds images of 3 x 3 pixels; fashion-mnist's are 28 x 28
            mnist label 11         | data: { kind: fashion-mnist, path: mnist } | mnist=label11 | run {job} --out {out} | 2 | data.path   | label 11 of item 5 is outside 0..9
            mnist counts differ    | data: { kind: fashion-mnist, path: mnist } | mnist=count | run {job} --out {out} | 2 | data.path     | do not match
            mnist fewer than n     | data: { kind: fashion-mnist, path: mnist } | mnist=few | run {job} --out {out}  | 2  | grid.n            | asks for 16 samples, and fashion-mnist data at
            # ---- run: flags and Spark settings
            run without JOB        |                 |                     | run                               | 2h | JOB.yaml          | is required
            run unknown option     |                 |                     | run {job} --bogus                 | 2h | --bogus           | unknown option of 'widthlaw run'
            run --out no value     |                 |                     | run {job} --out                   | 2h | --out             | needs a value
            run two jobs           |                 |                     | run {job} {job}                   | 2h | '{job}'           | unexpected argument; 'widthlaw run' takes one JOB.yaml
            run --master foo://x   |                 |                     | run {job} --out {out} --master foo://x | 2 | --master     | must be local, local[N], local[*], local[N,F], local-cluster[N,C,M], spark://HOST:PORT, yarn or k8s://URL, got 'foo://x'
            run --master local[0]  |                 |                     | run {job} --out {out} --master local[0] | 2 | --master    | got 'local[0]'
            run --master spark no port |             |                     | run {job} --out {out} --master spark://host | 2 | --master | got 'spark://host'
            run --conf spark.master |                |                     | run {job} --out {out} --conf spark.master=nope | 2 | --conf spark.master | got 'nope'
            run blas threads 0     |                 |                     | run {job} --out {out} --conf spark.widthlaw.blas.threads=0 | 2 | --conf spark.widthlaw.blas.threads | must be an integer in [1, 1024], got 0
            run blas threads abc   |                 |                     | run {job} --out {out} --conf spark.widthlaw.blas.threads=abc | 2 | --conf spark.widthlaw.blas.threads | must be an integer in [1, 1024], got 'abc'
            run unknown widthlaw setting |           |                     | run {job} --out {out} --conf spark.widthlaw.blas.thread=2 | 2 | --conf spark.widthlaw.blas.thread | is not a widthlaw setting
            run --conf not spark.* |                 |                     | run {job} --out {out} --conf foo=bar | 2 | --conf foo            | is not a Spark setting
            run --conf without =   |                 |                     | run {job} --out {out} --conf foo  | 2h | --conf            | must be KEY=VALUE, got 'foo'
            run setting Spark refuses |              |                     | run {job} --out {out} --master local[1] --conf spark.executor.memory=abc | 2 | --conf | spark.executor.memory
            run --out unknown scheme |               |                     | run {job} --out foo://x/y         | 2  | output            | no file system for scheme 'foo'
            run --out glob         |                 |                     | run {job} --out {dir}/out[1]      | 2  | output            | must not contain any of * ? [ ]
            run --out star         |                 |                     | run {job} --out {dir}/o*          | 2  | output            | (Hadoop and Spark read them as a glob pattern)
            status OUT glob        |                 |                     | status {dir}/out[2]               | 2  | OUT               | must not contain any of * ? [ ]
            run --out empty        |                 |                     | run {job} --out ""                | 2  | output            | is not a path or URI
            # ---- run: states of OUT
            OUT is a file          |                 | out=file            | run {job} --out {out}             | 2  | output            | is a file, not a directory
            OUT under a file       |                 | out=underfile       | run {job} --out {out}             | 2  | output            | /blocker is a file
            OUT read-only          |                 | out=readonly        | run {job} --out {out}             | 2  | output            | is not writable
            OUT parent read-only   |                 | out=parentreadonly  | run {job} --out {out}             | 2  | output            | /ro is not writable
            OUT other job          |                 | out=otherhash       | run {job} --out {out}             | 2  | output            | holds results of job hash
            OUT job.yaml garbage   |                 | out=badjob          | run {job} --out {out}             | 2  | output            | job.yaml is not a widthlaw job (not valid YAML at line 2, column 1: expected ',' or ']'
            OUT probes garbage     |                 | out=garbageprobes   | run {job} --out {out}             | 2  | output            | probes/part-00000.snappy.parquet is not a readable Parquet file (it does not start with PAR1)
            OUT probes truncated   |                 | out=truncatedprobes | run {job} --out {out}             | 2  | output            | probes/part-00001.snappy.parquet is not a readable Parquet file (it does not end with PAR1
            OUT probes empty file  |                 | out=emptyprobes     | run {job} --out {out}             | 2  | output            | probes/part-00002.snappy.parquet is not a readable Parquet file (0 bytes
            OUT cells garbage      |                 | out=garbagecells    | run {job} --out {out}             | 2  | output            | cells/part-00000.snappy.parquet is not a readable Parquet file
            OUT in use             |                 | out=inuse           | run {job} --out {out}             | 3  | output            | is in use by another run (host=elsewhere.example
            # ---- plan
            plan without JOB       |                 |                     | plan                              | 2h | JOB.yaml          | is required
            plan two arguments     |                 |                     | plan {job} extra                  | 2h | 'extra'           | unexpected argument
            plan unknown option    |                 |                     | plan --out x {job}                | 2h | --out             | unknown option of 'widthlaw plan'
            plan missing file      |                 | nojob               | plan {job}                        | 2  | job               | file not found:
            # ---- train: every flag
            train without flags    |                 |                     | train                             | 2h | --n, --width      | are required
            train without --width  |                 |                     | train --n 4                       | 2h | --width           | is required
            train --n no value     |                 |                     | train --width 4 --n               | 2h | --n               | needs a value
            train --n a word       |                 |                     | train --n abc --width 4           | 2h | --n               | must be an integer, got 'abc'
            train --n 0            |                 |                     | train --n 0 --width 4             | 2  | --n               | must be an integer in [1, 10000000], got 0
            train --width 0        |                 |                     | train --n 4 --width 0             | 2  | --width           | must be an integer in [1, 1048576], got 0
            train --steps 0        |                 |                     | train --n 4 --width 4 --steps 0   | 2  | --steps           | must be an integer in [1, 100000000], got 0
            train --steps 2.5      |                 |                     | train --n 4 --width 4 --steps 2.5 | 2h | --steps           | must be an integer, got '2.5'
            train --tol 2          |                 |                     | train --n 4 --width 4 --tol 2     | 2  | --tol             | must be a number in (0, 1), got 2.0
            train --tol NaN        |                 |                     | train --n 4 --width 4 --tol NaN   | 2  | --tol             | must be a number in (0, 1), got NaN
            train --tol a word     |                 |                     | train --n 4 --width 4 --tol tiny  | 2h | --tol             | must be a number, got 'tiny'
            train float32 tol      |                 |                     | train --n 4 --width 4 --tol 1e-8 --precision float32 | 2 | --tol | must be >= 1e-6 with --precision float32
            train --lr a word      |                 |                     | train --n 4 --width 4 --lr fast   | 2  | --lr              | must be auto or a number > 0, got 'fast'
            train --lr NaN         |                 |                     | train --n 4 --width 4 --lr NaN    | 2  | --lr              | must be auto or a number > 0, got 'NaN'
            train --lr Infinity    |                 |                     | train --n 4 --width 4 --lr Infinity | 2 | --lr             | must be auto or a number > 0, got 'Infinity'
            train --lr negative    |                 |                     | train --n 4 --width 4 --lr=-1     | 2  | --lr              | must be auto or a number > 0, got '-1'
            train --arch           |                 |                     | train --n 4 --width 4 --arch rnn  | 2  | --arch            | must be one of [two-layer, fc, resnet, cnn], got 'rnn'
            train --kernel not cnn |                 |                     | train --n 4 --width 4 --kernel 3  | 2  | --kernel          | applies to --arch cnn only, got --arch two-layer
            train --kernel above d |                 |                     | train --n 4 --width 4 --arch cnn --kernel 11 | 2 | --kernel | must have q in [1, 10] (at most --d), got 11
            train --kernel 2x3     |                 |                     | train --n 4 --width 4 --arch cnn --kernel 2x3 | 2 | --kernel | must be q or qxq (a square filter), got '2x3'
            train --kernel off grid |                |                     | train --n 4 --width 4 --arch cnn --kernel 2x2 | 2 | --kernel | qxq needs --d = side^2 inputs, got --d 10
            train --kernel 4x4 d 9 |                 |                     | train --n 4 --width 4 --arch cnn --d 9 --kernel 4x4 | 2 | --kernel | must have q in [1, 3] (at most the grid's side), got 4
            train --depth two-layer |                |                     | train --n 4 --width 4 --depth 3   | 2  | --depth           | two-layer has depth 2 only, got 3
            train --depth fc       |                 |                     | train --n 4 --width 4 --arch fc --depth 99 | 2 | --depth   | must be an integer in [2, 64], got 99
            train --d 0            |                 |                     | train --n 4 --width 4 --d 0       | 2  | --d               | must be an integer in [1, 100000], got 0
            train --outputs 0      |                 |                     | train --n 4 --width 4 --outputs 0 | 2  | --outputs         | must be an integer in [1, 1000], got 0
            train --labels natural |                 |                     | train --n 4 --width 4 --labels natural | 2 | --labels     | must be one of [random, teacher, teacher-class], got 'natural'
            train --loss l1        |                 |                     | train --n 4 --width 4 --loss l1   | 2  | --loss            | must be one of [squared, cross-entropy, hinge], got 'l1'
            train --loss random    |                 |                     | train --n 4 --width 4 --loss hinge | 2 | --loss            | hinge needs class targets: --labels teacher-class, got 'random'
            train --margin -1      |                 |                     | train --n 4 --width 4 --labels teacher-class --loss hinge --margin -1 | 2 | --margin | must be a finite number >= 0, got -1.0
            train --margin squared |                 |                     | train --n 4 --width 4 --margin 0.5 | 2 | --margin          | is only for losses cross-entropy and hinge
            train --optimizer adam |                 |                     | train --n 4 --width 4 --optimizer adam | 2 | --optimizer  | must be one of [gd, sgd], got 'adam'
            train sgd no batch     |                 |                     | train --n 4 --width 4 --optimizer sgd | 2 | --batch        | is needed with --optimizer sgd
            train sgd batch > n    |                 |                     | train --n 4 --width 4 --optimizer sgd --batch 5 | 2 | --batch | must be an integer in [1, 4], got 5
            train batch without sgd |                |                     | train --n 4 --width 4 --batch 2   | 2  | --batch           | is only for --optimizer sgd
            train --labels a word  |                 |                     | train --n 4 --width 4 --labels odd | 2 | --labels          | must be one of [random, teacher, teacher-class], got 'odd'
            train --trained        |                 |                     | train --n 4 --width 4 --trained some | 2 | --trained       | must be one of [hidden, output, all], got 'some'
            train --activation     |                 |                     | train --n 4 --width 4 --activation tanh | 2 | --activation | got 'tanh'
            train --precision      |                 |                     | train --n 4 --width 4 --precision float16 | 2 | --precision | must be one of [float64, float32], got 'float16'
            train --threads 0      |                 |                     | train --n 4 --width 4 --threads 0 | 2  | --threads         | must be an integer in [1, 1024], got 0
            train --data csv       |                 |                     | train --n 4 --width 4 --data csv  | 2  | --data            | must be sphere
            train --seed a word    |                 |                     | train --n 4 --width 4 --seed x    | 2h | --seed            | must be an integer, got 'x'
            train unknown option   |                 |                     | train --n 4 --width 4 --epochs 2  | 2h | --epochs          | unknown option of 'widthlaw train'
            # ---- fit and report
            fit without OUT        |                 |                     | fit                               | 2h | OUT               | is required
            fit OUT missing        |                 |                     | fit {out}                         | 2  | OUT               | does not exist
            fit OUT is a file      |                 | out=file            | fit {out}                         | 2  | OUT               | is a file, not a directory
            fit OUT empty          |                 | out=empty           | fit {out}                         | 2  | OUT               | has no job.yaml: not a widthlaw output
            fit OUT no cells       |                 | out=jobonly         | fit {out}                         | 2  | OUT               | has no cells/ yet
            fit cells garbage      |                 | out=garbagecells    | fit {out}                         | 2  | OUT               | cells/part-00000.snappy.parquet is not a readable Parquet file
            fit OUT read-only      |                 | out=readonly        | fit {out}                         | 2  | OUT               | is not writable
            report job.yaml garbage |                | out=badjob          | report {out}                      | 2  | OUT               | job.yaml is not a widthlaw job: not valid YAML at line 2, column 1: expected ',' or ']'
            report cells truncated |                 | out=truncatedcells  | report {out}                      | 2  | OUT               | is not a readable Parquet file (it does not end with PAR1
            report two arguments   |                 |                     | report {out} {out}                | 2h | '{out}'           | unexpected argument; 'widthlaw report' takes one OUT
            # ---- status and compare (they only read OUT)
            status without OUT     |                 |                     | status                            | 2h | OUT               | is required
            status OUT missing     |                 |                     | status {out}                      | 2  | OUT               | does not exist
            status OUT is a file   |                 | out=file            | status {out}                      | 2  | OUT               | is a file, not a directory
            status OUT empty       |                 | out=empty           | status {out}                      | 2  | OUT               | has no job.yaml: not a widthlaw output
            status job.yaml garbage |                | out=badjob          | status {out}                      | 2  | OUT               | job.yaml is not a widthlaw job: not valid YAML at line 2, column 1
            status probes garbage  |                 | out=garbageprobes   | status {out}                      | 2  | OUT               | probes/part-00000.snappy.parquet is not a readable Parquet file (it does not start with PAR1)
            status two arguments   |                 |                     | status {out} {out}                | 2h | '{out}'           | unexpected argument; 'widthlaw status' takes one OUT
            status unknown option  |                 |                     | status --watch {out}              | 2h | --watch           | unknown option of 'widthlaw status'
            compare without OUT    |                 |                     | compare                           | 2h | OUT               | is required
            compare OUT missing    |                 |                     | compare {out}                     | 2  | OUT               | does not exist
            compare OUT empty      |                 | out=empty           | compare {out}                     | 2  | OUT               | has no job.yaml: not a widthlaw output
            compare no scaling.json |                | out=jobonly         | compare {out}                     | 2  | OUT               | has no scaling.json yet: run the job first
            compare first missing  |                 | out=jobonly         | compare {dir}/nothing {out}       | 2  | OUT               | {dir}/nothing does not exist
            # ---- no command
            no command             |                 |                     | ""                                | 2h | COMMAND           | is required: one of run, plan, train, fit, report, status or compare
            unknown command        |                 |                     | rn {job}                          | 2h | 'rn'              | unknown command; one of run, plan, train, fit, report, status, compare
            unknown top option     |                 |                     | --bogus                           | 2h | --bogus           | unknown option of 'widthlaw'
            """)
    void oneLineExitTwoNothingWritten(
            String label, String job, String setup, String args, String code, String field, String says)
            throws Exception {
        Path dir = Files.createDirectories(root.resolve("case-" + CASES.incrementAndGet()));
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, job(job));
        Path at = dir.resolve("out");
        if (setup != null) for (String step : setup.split(" +")) at = setUp(step, dir, at, jobFile);
        Path out = at;
        Map<String, String> before = snapshot(dir);

        String[] argv = args.isEmpty()
                ? new String[0]
                : Arrays.stream(args.split(" +"))
                        .map(a -> a.equals("\"\"") ? "" : expand(a, dir, out, jobFile))
                        .toArray(String[]::new);
        SweepTest.Ran r = SweepTest.cli(argv);

        List<String> lines = r.err().lines().toList();
        boolean hint = code.endsWith("h");
        assertEquals(Integer.parseInt(code.replace("h", "")), r.code(), label + ": " + r.err());
        assertEquals(hint ? 2 : 1, lines.size(), label + ": one line" + (hint ? " and a hint" : "") + ":\n" + r.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("widthlaw: " + expand(field, dir, out, jobFile) + ": "), line);
        if (says != null) assertTrue(line.contains(expand(says, dir, out, jobFile)), label + ": " + line);
        if (hint)
            assertTrue(lines.get(1).matches("(Did you mean '.+'\\? )?See 'widthlaw( \\w+)? --help'\\."), lines.get(1));
        assertEquals("", r.out(), "nothing on stdout");
        assertEquals(before, snapshot(dir), label + ": nothing written");
    }

    /** The masters Spark takes pass the check made before it starts, from --master or --conf spark.master. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "local",
                "local[*]",
                "local[4]",
                "local[*,3]",
                "local[2, 3]",
                "local-cluster[2,1,1024]",
                "spark://host:7077",
                "spark://a.example:7077,b.example:7077",
                "spark://[::1]:7077",
                "yarn",
                "k8s://https://api.example:6443"
            })
    void mastersSparkTakesPass(String master) {
        Sparks.check(master, Map.of());
        Sparks.check(null, Map.of("spark.master", master, Sweep.BLAS_THREADS, "2"));
    }

    /** The job file's text: the good job with {@code line} in place of the line with its key. */
    private static String job(String line) {
        String good = JobParserTest.GOOD;
        if (line == null) return good;
        if (line.startsWith("@")) {
            return switch (line) {
                case "@big" -> good.replace("name: tiny", "name: " + "x".repeat(3 << 20));
                case "@deep" -> good.replaceFirst("(?m)^train:.*$", "train: " + "[".repeat(40) + "]".repeat(40));
                case "@longnumber" -> good.replace("tol: 1.0e-4", "tol: 0." + "0".repeat(200) + "1");
                case "@longname" -> good.replace("name: tiny", "name: " + "a".repeat(100_000));
                default -> throw new IllegalArgumentException(line);
            };
        }
        String text = line.replace("¶", "\n");
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (String l : text.split("\n")) if (l.matches("\\w+:.*")) keys.add(l.substring(0, l.indexOf(':')));
        List<String> lines = new ArrayList<>(good.lines().toList());
        int at = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            if (l.matches("\\w+:.*") && keys.contains(l.substring(0, l.indexOf(':')))) {
                lines.remove(i);
                at = i;
            }
        }
        lines.add(at < 0 ? lines.size() : at, text);
        return String.join("\n", lines) + "\n";
    }

    private static String expand(String s, Path dir, Path out, Path job) {
        return s.replace("{job}", job.toString())
                .replace("{out}", out.toString())
                .replace("{dir}", dir.toString());
    }

    /**
     * One setup step; returns OUT (a step may move it). {@code csv=NAME}, {@code csvdir},
     * {@code sparse=FILE:MiB}, {@code longline}, {@code latin1}: data files; {@code mnist=VARIANT}:
     * an IDX folder; {@code jobdir}, {@code nojob}, {@code binjob}, {@code emptyjob}: the job file;
     * {@code out=STATE}: the output directory.
     */
    private static Path setUp(String step, Path dir, Path out, Path job) throws Exception {
        String[] kv = step.split("=", 2);
        switch (kv[0]) {
            case "csv" ->
                Files.writeString(dir.resolve("data.csv"), CSV.get(kv[1]).replace("¶", "\n"));
            case "csvdir" -> Files.createDirectories(dir.resolve("data.csv"));
            case "sparse" -> sparse(dir.resolve(kv[1].split(":")[0]), Long.parseLong(kv[1].split(":")[1]) << 20);
            case "longline" -> Files.writeString(dir.resolve("data.csv"), "1,".repeat(9 << 19) + "1");
            case "latin1" ->
                Files.write(dir.resolve("data.csv"), new byte[] {'1', ',', '2', '\n', '3', ',', (byte) 0xff, '\n'});
            case "mnist" -> mnist(dir.resolve("mnist"), kv[1]);
            case "jobdir" -> {
                Files.delete(job);
                Files.createDirectories(job);
            }
            case "nojob" -> Files.delete(job);
            case "binjob" -> Files.write(job, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xc3, (byte) 0x28});
            case "emptyjob" -> Files.writeString(job, "");
            case "out" -> {
                return out(kv[1], dir, out, job);
            }
            default -> throw new IllegalArgumentException(step);
        }
        return out;
    }

    private static Path out(String state, Path dir, Path out, Path job) throws Exception {
        String jobYaml = JobParser.toYaml(JobParser.normalised(JobParser.parse(job)));
        switch (state) {
            case "file" -> Files.writeString(out, "not a directory\n");
            case "underfile" -> {
                Files.writeString(dir.resolve("blocker"), "a file\n");
                return dir.resolve("blocker").resolve("out");
            }
            case "readonly" -> {
                Files.createDirectories(out);
                Files.writeString(out.resolve(ResultsStore.JOB), jobYaml);
                Files.createDirectories(out.resolve(ResultsStore.CELLS));
                readOnly(out);
            }
            case "parentreadonly" -> {
                Path ro = Files.createDirectories(dir.resolve("ro"));
                readOnly(ro);
                return ro.resolve("out");
            }
            case "otherhash" -> {
                Files.createDirectories(out);
                Files.writeString(
                        out.resolve(ResultsStore.JOB),
                        JobParser.toYaml(JobParser.normalised(
                                JobParser.parse(JobParserTest.GOOD.replace("steps: 3000", "steps: 2500"), "tiny"))));
            }
            case "badjob" -> {
                Files.createDirectories(out.resolve(ResultsStore.CELLS));
                Files.writeString(out.resolve(ResultsStore.JOB), "hash: [unclosed\n");
            }
            case "empty" -> Files.createDirectories(out);
            case "jobonly" -> {
                Files.createDirectories(out);
                Files.writeString(out.resolve(ResultsStore.JOB), jobYaml);
            }
            case "garbageprobes", "truncatedprobes", "emptyprobes", "garbagecells", "truncatedcells" -> {
                Files.createDirectories(out);
                Files.writeString(out.resolve(ResultsStore.JOB), jobYaml);
                String sub = state.endsWith("probes") ? ResultsStore.PROBES : ResultsStore.CELLS;
                Path d = Files.createDirectories(out.resolve(sub));
                Files.writeString(d.resolve("_SUCCESS"), "");
                byte[] bytes = state.startsWith("garbage")
                        ? "these bytes were never Parquet\n".repeat(40).getBytes(StandardCharsets.UTF_8)
                        : state.startsWith("truncated")
                                ? ("PAR1" + "\u0015\u0000\u0015\u00a8\u0001".repeat(60))
                                        .getBytes(StandardCharsets.ISO_8859_1)
                                : new byte[0];
                String name = "part-0000" + (state.startsWith("garbage") ? 0 : state.startsWith("truncated") ? 1 : 2)
                        + ".snappy.parquet";
                Files.write(d.resolve(name), bytes);
            }
            case "inuse" -> {
                Files.createDirectories(out);
                Files.writeString(out.resolve(ResultsStore.JOB), jobYaml);
                Files.writeString(
                        out.resolve(ResultsStore.LOCK),
                        LeaseTest.OTHER + " expires=" + (System.currentTimeMillis() + 3_600_000));
            }
            default -> throw new IllegalArgumentException(state);
        }
        return out;
    }

    /** Makes {@code p} unwritable: by its permissions, and for root (whom they do not bind) by chattr +i. */
    private static void readOnly(Path p) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(p)) {
            Process c = new ProcessBuilder("chattr", "+i", p.toString())
                    .redirectErrorStream(true)
                    .start();
            if (c.waitFor() == 0) IMMUTABLE.add(p);
        }
        Assumptions.assumeFalse(Files.isWritable(p), "cannot make a folder read-only here");
    }

    private static void sparse(Path file, long bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    /** A small Fashion-MNIST folder (20 images), or one broken as {@code variant} says. */
    private static void mnist(Path d, String variant) throws IOException {
        if (variant.equals("file")) {
            Files.writeString(d, "not a directory\n");
            return;
        }
        Files.createDirectories(d);
        int count = variant.equals("few") ? 10 : 20;
        byte[] images = new byte[count * 784];
        for (int i = 0; i < images.length; i++) images[i] = (byte) (i % 251 + 1);
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) labels[i] = (byte) (i % 10);
        for (String set : List.of("train", "t10k")) {
            idx(d.resolve(set + "-images-idx3-ubyte.gz"), 0x803, new int[] {count, 28, 28}, images);
            idx(d.resolve(set + "-labels-idx1-ubyte.gz"), 0x801, new int[] {count}, labels);
        }
        Path trainImages = d.resolve("train-images-idx3-ubyte.gz");
        Path trainLabels = d.resolve("train-labels-idx1-ubyte.gz");
        switch (variant) {
            case "nolabels" -> Files.delete(trainLabels);
            case "huge" -> idx(trainImages, 0x803, new int[] {1_000_000, 28, 28}, new byte[0]);
            case "oversize" -> sparse(trainImages, 129L << 20);
            case "short" -> idx(trainImages, 0x803, new int[] {count, 28, 28}, Arrays.copyOf(images, 2 * 784));
            case "notgz" -> Files.writeString(trainImages, "these bytes were never gzip\n");
            case "magic" -> idx(trainImages, 0x12345678, new int[] {count, 28, 28}, images);
            case "small" -> idx(trainImages, 0x803, new int[] {count, 3, 3}, Arrays.copyOf(images, count * 9));
            case "label11" -> {
                labels[5] = 11;
                idx(trainLabels, 0x801, new int[] {count}, labels);
            }
            case "count" -> idx(trainLabels, 0x801, new int[] {count - 1}, Arrays.copyOf(labels, count - 1));
            case "few" -> {
                // ten images: fewer than the grid's largest n
            }
            default -> throw new IllegalArgumentException(variant);
        }
    }

    private static void idx(Path file, int magic, int[] dims, byte[] data) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                DataOutputStream o = new DataOutputStream(new GZIPOutputStream(raw))) {
            o.writeInt(magic);
            for (int dim : dims) o.writeInt(dim);
            o.write(data);
        }
    }

    /** Every file and folder under {@code dir}: a folder, a file's SHA-256 (size and time above 1 MiB). */
    static Map<String, String> snapshot(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String key = dir.relativize(p).toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) m.put(key, "dir");
                else if (Files.size(p) > 1 << 20)
                    m.put(key, Files.size(p) + " bytes at " + Files.getLastModifiedTime(p));
                else {
                    byte[] h = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    m.put(key, HexFormat.of().formatHex(h));
                }
            }
        }
        return m;
    }
}
